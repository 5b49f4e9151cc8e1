package nn_test

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

// smallNet chains smooth layers (conv → bn → conv → global pool → concat →
// dense) so the composed gradient can be checked without kinks; ReLU and max
// pooling are checked alone on kink-free inputs.
func smallNet(rng *rand.Rand) (*nn.Stack, *nn.Conv2D) {
	first := nn.NewConv2D(2, 4, 3, 1, 1, rng)
	s := new(nn.Stack).
		Add("conv1", first).
		Add("bn1", nn.NewBatchNorm2D(4)).
		Add("conv2", nn.NewConv2D(4, 3, 3, 2, 1, rng)).
		Add("pool", nn.NewGlobalAvgPool()).
		Add("concat", nn.NewConcat(2)).
		Add("fc", nn.NewDense(6, 2, rng))
	return s, first
}

func TestStack(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s, first := smallNet(rng)
	if got := len(s.Params()); got != 8 {
		t.Errorf("%d params, want 8 (2 per conv, bn and dense)", got)
	}
	var keys []string
	for _, e := range s.Tensors("net") {
		keys = append(keys, e.Name)
	}
	want := []string{
		"net.conv1.weight", "net.conv1.bias", "net.bn1.weight", "net.bn1.bias",
		"net.bn1.running_mean", "net.bn1.running_var", // batch norm's buffers follow its params
		"net.conv2.weight", "net.conv2.bias", "net.fc.weight", "net.fc.bias",
	}
	if !slices.Equal(keys, want) {
		t.Errorf("Tensors keys %q, want %q", keys, want)
	}
	x := nntest.Random(rng, 4, 2, 6, 6)
	// Floor 1e-2: the net's gradients are mostly 1e-3…1e-1 and float32
	// rounding through five layers leaves ~1e-5 of noise in the differences.
	nntest.CheckLayer(t, s, x, true, nntest.Options{Floor: 1e-2})
	assertSteadyStateNoAllocs(t, s, x, true)

	first.SkipInputGrad(true)
	y := s.Forward(x, true)
	if dx := s.Backward(nntest.Random(rng, y.Shape...)); dx != nil {
		t.Error("Backward returned dx after the first layer's SkipInputGrad(true)")
	}
}

// TestStackPanics checks the programmer errors: a duplicate name, and a
// layer other than the first that returns no input gradient.
func TestStackPanics(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for name, call := range map[string]func(){
		"duplicate name": func() {
			new(nn.Stack).Add("fc", nn.NewDense(2, 2, rng)).Add("fc", nn.NewDense(2, 2, rng))
		},
		"nil dx not first": func() {
			second := nn.NewDense(3, 2, rng)
			second.SkipInputGrad(true)
			s := new(nn.Stack).Add("fc1", nn.NewDense(4, 3, rng)).Add("fc2", second)
			y := s.Forward(nntest.Random(rng, 2, 4), true)
			s.Backward(nntest.Random(rng, y.Shape...))
		},
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			call()
		}()
	}
}
