package nn_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

// modelLayer adapts a Model to nn.Layer so nntest.CheckLayer can check the
// whole trunk + head composition at once.
type modelLayer struct{ m *nn.Model }

func (l modelLayer) Forward(x *nn.Tensor, train bool) *nn.Tensor { return l.m.Forward(x, train) }
func (l modelLayer) Backward(dy *nn.Tensor) *nn.Tensor           { l.m.Backward(dy); return nil }
func (l modelLayer) Params() []*nn.Param                         { return l.m.Params() }

func TestModelGradients(t *testing.T) {
	cases := []struct {
		name  string
		trunk nn.TrunkConfig
		head  nn.HeadConfig
		input []int
	}{
		{"classifier-gap", nn.TrunkConfig{InChannels: 3, Widths: []int{4, 6}, ConvsPerStage: 1}, nn.HeadConfig{Kind: nn.Classifier, Classes: 3}, []int{2, 3, 8, 8}},
		{"classifier-flatten-bn", nn.TrunkConfig{InChannels: 3, Widths: []int{4, 6}, ConvsPerStage: 1, BatchNorm: true, PoolLast: true}, nn.HeadConfig{Kind: nn.Classifier, Classes: 3, FlattenCells: 4}, []int{3, 3, 8, 8}},
		{"tiles-hidden", nn.TrunkConfig{InChannels: 3, Widths: []int{4}, ConvsPerStage: 2, BatchNorm: true}, nn.HeadConfig{Kind: nn.TileSet, Classes: 5, Tiles: 2, Hidden: 7}, []int{4, 3, 6, 6}},
		{"cells", nn.TrunkConfig{InChannels: 3, Widths: []int{4, 5}, ConvsPerStage: 1, BatchNorm: true}, nn.HeadConfig{Kind: nn.PerCell, Classes: 6, Hidden: 5}, []int{2, 3, 8, 8}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(11, 12))
			trunk := nn.NewTrunk(c.trunk, rng)
			m := &nn.Model{Trunk: trunk, Head: nn.NewHead(c.head, c.trunk.Channels(), rng)}
			// ReLU and max-pool kinks inside a stack cannot be ruled out by
			// the input alone: the check detects entries with a kink within
			// ±h and sets them aside (failing if there are many). The small
			// step that makes kinks rare costs resolution: float32 rounding
			// of the whole forward pass puts ~3e-4 of noise on each
			// numerical derivative, so gradients below Floor = 0.03 are
			// compared in absolute terms (error ≤ Tol·Floor = 3e-4).
			x := nntest.Random(rng, c.input...)
			nntest.CheckLayer(t, modelLayer{m}, x, true, nntest.Options{Eps: 1e-3, Floor: 3e-2, MaxEach: 24, DetectKinks: true})
		})
	}
}

func TestFrozenTrunkIsUntouched(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	m := smallModel(5, 3)
	m.FreezeTrunk = true
	before := m.Trunk.Tensors("trunk")
	saved := make([][]float32, len(before))
	for i, e := range before {
		saved[i] = slices.Clone(e.Data)
	}
	x := nntest.Random(rng, 4, 3, 8, 8)
	for _, p := range m.Params() {
		for _, tp := range m.Trunk.Params() {
			if p == tp {
				t.Fatalf("frozen model offers trunk parameter %s to the optimizer", p.Name)
			}
		}
	}
	opt := &nn.SGD{LR: 0.1, Momentum: 0.9}
	loss := &nn.SoftmaxCrossEntropy{}
	for range 3 {
		m.ZeroGrad()
		logits := m.Forward(x, true)
		d := nn.NewTensor(logits.Shape...)
		loss.Forward(logits, []int{0, 1, 2, 0}, d)
		m.Backward(d)
		opt.Step(m.Params())
	}
	for i, e := range m.Trunk.Tensors("trunk") {
		if !slices.Equal(e.Data, saved[i]) {
			t.Errorf("%s changed although the trunk is frozen", e.Name)
		}
	}
}

func TestTrunkCloneAndNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 6))
	cfg := nn.TrunkConfig{InChannels: 3, Widths: []int{4, 8}, ConvsPerStage: 1, BatchNorm: true}
	a := nn.NewTrunk(cfg, rng)
	b := a.Clone()
	ta, tb := a.Tensors("trunk"), b.Tensors("trunk")
	wantNames := []string{
		"trunk.conv1.weight", "trunk.bn1.weight", "trunk.bn1.bias", "trunk.bn1.running_mean", "trunk.bn1.running_var",
		"trunk.conv2.weight", "trunk.bn2.weight", "trunk.bn2.bias", "trunk.bn2.running_mean", "trunk.bn2.running_var",
	}
	var names []string
	for i := range ta {
		names = append(names, ta[i].Name)
		if !slices.Equal(ta[i].Data, tb[i].Data) {
			t.Errorf("clone differs at %s", ta[i].Name)
		}
		if len(ta[i].Data) > 0 && &ta[i].Data[0] == &tb[i].Data[0] {
			t.Errorf("clone shares storage for %s", ta[i].Name)
		}
	}
	if !slices.Equal(names, wantNames) {
		t.Errorf("names %v, want %v", names, wantNames)
	}
	if got, want := ta[0].Shape, []int{4, 3, 3, 3}; !slices.Equal(got, want) {
		t.Errorf("conv1 weight shape %v, want OIHW %v", got, want)
	}
	// conv weights (no bias before batch norm) and γ, β per channel
	if got, want := a.NumParams(), 3*4*9+2*4+4*8*9+2*8; got != want {
		t.Errorf("NumParams %d, want %d", got, want)
	}
}

// Buffers lists the model's non-trainable state: exactly the checkpoint
// tensors (Tensors) that are not parameters, the same memory, in order.
func TestModelBuffers(t *testing.T) {
	for _, bn := range []bool{false, true} {
		rng := rand.New(rand.NewPCG(3, 4))
		tc := nn.TrunkConfig{InChannels: 3, Widths: []int{4, 5}, ConvsPerStage: 1, BatchNorm: bn}
		m := &nn.Model{Trunk: nn.NewTrunk(tc, rng), Head: nn.NewHead(nn.HeadConfig{Kind: nn.PerCell, Classes: 6, Hidden: 5}, tc.Channels(), rng)}
		params := map[*float32]bool{}
		for _, p := range m.Params() {
			params[&p.Value[0]] = true
		}
		var want []*float32
		for _, e := range m.Tensors() {
			if !params[&e.Data[0]] {
				want = append(want, &e.Data[0])
			}
		}
		var got []*float32
		for _, b := range m.Buffers() {
			got = append(got, &b.Value[0])
		}
		if !slices.Equal(got, want) {
			t.Errorf("batch norm %v: Buffers gives %d tensors, the non-parameter checkpoint tensors are %d (or differ in order)", bn, len(got), len(want))
		}
		if bn && len(got) == 0 {
			t.Errorf("batch norm %v: no buffers", bn)
		}
	}
}
