package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

func TestShardRange(t *testing.T) {
	tests := []struct {
		n, shards int
		want      [][2]int
	}{
		{32, 1, [][2]int{{0, 32}}},
		{32, 2, [][2]int{{0, 16}, {16, 32}}},
		{7, 2, [][2]int{{0, 4}, {4, 7}}},
		{10, 4, [][2]int{{0, 3}, {3, 6}, {6, 8}, {8, 10}}},
		{2, 3, [][2]int{{0, 1}, {1, 2}, {2, 2}}},
	}
	for _, tt := range tests {
		for i, w := range tt.want {
			lo, hi := nn.ShardRange(tt.n, tt.shards, i)
			if lo != w[0] || hi != w[1] {
				t.Errorf("ShardRange(%d, %d, %d) = [%d, %d), want [%d, %d)", tt.n, tt.shards, i, lo, hi, w[0], w[1])
			}
		}
	}
}

func TestFlattenScatterRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	params := nn.NewReferenceNet(10, rng).Params()
	for _, p := range params {
		for j := range p.Grad {
			p.Grad[j] = float32(rng.NormFloat64())
		}
	}
	flat := nn.FlattenGrads(nil, params)
	if len(flat) != nn.ParamLen(params) || len(flat) != 33834 {
		t.Fatalf("flat gradient has %d values, ParamLen %d, want 33834", len(flat), nn.ParamLen(params))
	}
	if flat[0] != params[0].Grad[0] || flat[len(flat)-1] != params[len(params)-1].Grad[len(params[len(params)-1].Grad)-1] {
		t.Errorf("flat gradient does not start and end with the first and last parameters' gradients")
	}
	want := make([][]float32, len(params))
	for i, p := range params {
		want[i] = slices.Clone(p.Grad)
		clear(p.Grad)
	}
	nn.ScatterGrads(params, flat)
	for i, p := range params {
		if !slices.Equal(p.Grad, want[i]) {
			t.Errorf("param %d (%s): gradient changed in the round trip", i, p.Name)
		}
	}
	vals := nn.FlattenValues(make([]float32, 3), params) // too short: reallocated
	var wantVals []float32
	for _, p := range params {
		wantVals = append(wantVals, p.Value...)
	}
	if !slices.Equal(vals, wantVals) {
		t.Errorf("FlattenValues is not the parameters' values in order")
	}
}

func TestAverageGrads(t *testing.T) {
	tests := []struct {
		name    string
		vecs    [][]float32
		weights []float64
		want    []float32
	}{
		{"one", [][]float32{{1, -2}}, nil, []float32{1, -2}},
		{"equal", [][]float32{{1, 2}, {3, 6}}, nil, []float32{2, 4}},
		{"three", [][]float32{{3, 0}, {0, 3}, {3, 3}}, nil, []float32{2, 2}},
		{"weighted", [][]float32{{4, 0}, {1, 8}}, []float64{3, 1}, []float32{3.25, 2}},
		{"zero weight", [][]float32{{4, 0}, {1, 8}}, []float64{0, 2}, []float32{1, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := make([]float32, len(tt.want))
			nn.AverageGrads(dst, tt.vecs, tt.weights)
			if !slices.Equal(dst, tt.want) {
				t.Errorf("AverageGrads = %v, want %v", dst, tt.want)
			}
			in := slices.Clone(tt.vecs[0]) // in place, into the first vector
			vecs := append([][]float32{in}, tt.vecs[1:]...)
			nn.AverageGrads(in, vecs, tt.weights)
			if !slices.Equal(in, tt.want) {
				t.Errorf("in place: AverageGrads = %v, want %v", in, tt.want)
			}
		})
	}
	for _, bad := range []struct {
		name    string
		vecs    [][]float32
		weights []float64
	}{
		{"no vectors", nil, nil},
		{"length", [][]float32{{1, 2}, {1}}, nil},
		{"weights count", [][]float32{{1, 2}}, []float64{1, 1}},
		{"zero total", [][]float32{{1, 2}}, []float64{0}},
		{"negative", [][]float32{{1, 2}, {1, 2}}, []float64{2, -1}},
	} {
		t.Run("panics/"+bad.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("AverageGrads did not panic")
				}
			}()
			nn.AverageGrads(make([]float32, 2), bad.vecs, bad.weights)
		})
	}
}

// dpBatch makes a learnable batch for the reference net: image i is noise
// plus a bright square whose position says its label.
func dpBatch(rng *rand.Rand, n int) (*nn.Tensor, []int) {
	s := nn.ReferenceInput
	x := nn.NewTensor(n, 3, s, s)
	labels := make([]int, n)
	for i := range n {
		labels[i] = rng.IntN(4)
		oy, ox := 16*(labels[i]/2), 16*(labels[i]%2)
		for c := range 3 {
			for y := range s {
				for xx := range s {
					v := 0.3 * rng.NormFloat64()
					if y >= oy && y < oy+16 && xx >= ox && xx < ox+16 {
						v += 1
					}
					x.Data[((i*3+c)*s+y)*s+xx] = float32(v)
				}
			}
		}
	}
	return x, labels
}

// slice returns samples [lo, hi) of a batch (copied).
func slice(x *nn.Tensor, labels []int, lo, hi int) (*nn.Tensor, []int) {
	per := x.Len() / x.Shape[0]
	return nn.FromData(slices.Clone(x.Data[lo*per:hi*per]), append([]int{hi - lo}, x.Shape[1:]...)...), labels[lo:hi]
}

// gradStep runs ZeroGrad, Forward, the loss and Backward, returning the loss.
func gradStep(m *nn.Model, x *nn.Tensor, labels []int) float64 {
	var loss nn.SoftmaxCrossEntropy
	m.ZeroGrad()
	logits := m.Forward(x, true)
	d := nn.NewTensor(logits.Shape...)
	l, _ := loss.Forward(logits, labels, d)
	m.Backward(d)
	return l
}

// maxRelDiff is max_j |a_j − b_j| / max(max_j |b_j|, 1e-12).
func maxRelDiff(a, b []float32) float64 {
	var diff, scale float64
	for j := range a {
		diff = math.Max(diff, math.Abs(float64(a[j]-b[j])))
		scale = math.Max(scale, math.Abs(float64(b[j])))
	}
	return diff / math.Max(scale, 1e-12)
}

// dpTol is the tolerance of data-parallel vs full-batch gradients, relative
// to the largest gradient entry: float32 sums in another order differ by a
// few ulps of the partial sums (~1e-7 relative); 1e-5 leaves room for the
// longest sums (dW of the first conv sums 32·32 positions per image).
const dpTol = 1e-5

func TestDataParallelGradientMatchesFullBatch(t *testing.T) {
	for _, tt := range []struct{ batch, shards int }{{8, 2}, {7, 2}, {9, 3}} {
		t.Run(fmt.Sprintf("batch%d_shards%d", tt.batch, tt.shards), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, uint64(tt.batch)))
			full := nn.NewReferenceNet(4, rand.New(rand.NewPCG(1, 1)))
			shard := nn.NewReferenceNet(4, rand.New(rand.NewPCG(1, 1)))
			x, labels := dpBatch(rng, tt.batch)
			gradStep(full, x, labels)
			want := nn.FlattenGrads(nil, full.Params())

			vecs := make([][]float32, tt.shards)
			weights := make([]float64, tt.shards)
			for k := range tt.shards {
				lo, hi := nn.ShardRange(tt.batch, tt.shards, k)
				xs, ls := slice(x, labels, lo, hi)
				gradStep(shard, xs, ls)
				vecs[k] = nn.FlattenGrads(nil, shard.Params())
				weights[k] = float64(hi - lo)
			}
			got := make([]float32, len(want))
			nn.AverageGrads(got, vecs, weights)
			if d := maxRelDiff(got, want); d > dpTol {
				t.Errorf("averaged shard gradients differ from the full-batch gradient by %.3g (relative to the largest), want ≤ %g", d, dpTol)
			}
			if tt.batch%tt.shards != 0 { // uneven shards: the plain mean is wrong, and the test can tell
				nn.AverageGrads(got, vecs, nil)
				if d := maxRelDiff(got, want); d < 100*dpTol {
					t.Errorf("unweighted average of uneven shards matches the full batch too well (%.3g): the test cannot tell weights apart", d)
				}
			}
		})
	}
}

// TestDataParallelTrainingTracksSingle trains the reference net for a few SGD
// steps on one batch per step, once whole and once as 2 replicas that
// average their shard gradients, and checks the losses and weights agree.
func TestDataParallelTrainingTracksSingle(t *testing.T) {
	const steps, batch, shards = 6, 8, 2
	const lossTol = 1e-4 // relative; measured differences are ~1e-7, growing a little per step
	newOpt := func() *nn.SGD { return &nn.SGD{LR: 0.01, Momentum: 0.9} }
	single, opt := nn.NewReferenceNet(4, rand.New(rand.NewPCG(1, 1))), newOpt()
	var reps []*nn.Model
	var opts []*nn.SGD
	for range shards {
		reps = append(reps, nn.NewReferenceNet(4, rand.New(rand.NewPCG(1, 1))))
		opts = append(opts, newOpt())
	}
	rng := rand.New(rand.NewPCG(7, 7))
	var first, last float64
	avg := make([]float32, nn.ParamLen(single.Params()))
	for s := range steps {
		x, labels := dpBatch(rng, batch)
		want := gradStep(single, x, labels)
		opt.Step(single.Params())

		vecs := make([][]float32, shards)
		got := 0.0
		for k, m := range reps {
			lo, hi := nn.ShardRange(batch, shards, k)
			xs, ls := slice(x, labels, lo, hi)
			got += gradStep(m, xs, ls) * float64(hi-lo) / batch
			vecs[k] = nn.FlattenGrads(nil, m.Params())
		}
		nn.AverageGrads(avg, vecs, nil)
		for k, m := range reps {
			nn.ScatterGrads(m.Params(), avg)
			opts[k].Step(m.Params())
		}
		if math.Abs(got-want) > lossTol*math.Abs(want) {
			t.Errorf("step %d: data-parallel loss %.7f, single-worker loss %.7f", s, got, want)
		}
		if s == 0 {
			first = want
		}
		last = want
	}
	if !(last < first) {
		t.Errorf("loss did not fall over %d steps (%.4f → %.4f): the comparison says little", steps, first, last)
	}
	w0 := nn.FlattenValues(nil, reps[0].Params())
	for k := 1; k < shards; k++ {
		if !slices.Equal(w0, nn.FlattenValues(nil, reps[k].Params())) {
			t.Errorf("replica %d's weights differ from replica 0's: the same update must give the same bits", k)
		}
	}
	if d := maxRelDiff(w0, nn.FlattenValues(nil, single.Params())); d > 1e-4 {
		t.Errorf("replica weights differ from single-worker weights by %.3g (relative), want ≤ 1e-4", d)
	}
}
