package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

// channelStats returns the mean and the biased variance of channel c, in float64.
func channelStats(x *nn.Tensor, c int) (mean, variance float64) {
	n, ch, h, w := x.Dims4()
	m := float64(n * h * w)
	for i := range n {
		for _, v := range x.Data[(i*ch+c)*h*w : (i*ch+c+1)*h*w] {
			mean += float64(v)
		}
	}
	mean /= m
	for i := range n {
		for _, v := range x.Data[(i*ch+c)*h*w : (i*ch+c+1)*h*w] {
			variance += (float64(v) - mean) * (float64(v) - mean)
		}
	}
	return mean, variance / m
}

// randomAffine gives a batch norm non-trivial γ and β.
func randomAffine(rng *rand.Rand, l *nn.BatchNorm2D) {
	for c := range l.C {
		l.Weight.Value[c] = float32(0.5 + rng.Float64())
		l.Bias.Value[c] = float32(rng.NormFloat64())
	}
}

func TestBatchNorm2DTrainForwardAndRunningStats(t *testing.T) {
	for _, shape := range [][4]int{{4, 3, 5, 5}, {2, 2, 3, 7}, {3, 1, 1, 1}, {1, 4, 2, 3}} {
		rng := rand.New(rand.NewPCG(1, uint64(shape[1])))
		l := nn.NewBatchNorm2D(shape[1])
		randomAffine(rng, l)
		n, c, h, w := shape[0], shape[1], shape[2], shape[3]
		m := float64(n * h * w)
		wantMean := make([]float64, c)
		wantVar := make([]float64, c)
		for c := range wantVar {
			wantVar[c] = 1
		}
		for step := range 3 {
			x := nntest.Random(rng, shape[:]...)
			for i := range x.Data { // shift and scale per step so the statistics move
				x.Data[i] = x.Data[i]*float32(1+step) + float32(step)
			}
			y := l.Forward(x, true)
			for ci := range c {
				mu, v := channelStats(x, ci)
				inv := 1 / math.Sqrt(v+1e-5)
				for i := range n {
					for p := range h * w {
						at := (i*c+ci)*h*w + p
						want := float64(l.Weight.Value[ci])*(float64(x.Data[at])-mu)*inv + float64(l.Bias.Value[ci])
						if math.Abs(float64(y.Data[at])-want) > 1e-4*(1+math.Abs(want)) {
							t.Fatalf("%v step %d: y[%d] = %v, want %v", shape, step, at, y.Data[at], want)
						}
					}
				}
				// PyTorch: running stats blend in the batch mean and the unbiased variance.
				wantMean[ci] = 0.9*wantMean[ci] + 0.1*mu
				wantVar[ci] = 0.9*wantVar[ci] + 0.1*v*m/(m-1)
				if got := float64(l.RunningMean.Value[ci]); math.Abs(got-wantMean[ci]) > 1e-5*(1+math.Abs(wantMean[ci])) {
					t.Fatalf("%v step %d: running_mean[%d] = %v, want %v", shape, step, ci, got, wantMean[ci])
				}
				if got := float64(l.RunningVar.Value[ci]); math.Abs(got-wantVar[ci]) > 1e-5*(1+wantVar[ci]) {
					t.Fatalf("%v step %d: running_var[%d] = %v, want %v", shape, step, ci, got, wantVar[ci])
				}
			}
		}
	}
}

func TestBatchNorm2DEvalUsesRunningStats(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 3))
	l := nn.NewBatchNorm2D(3)
	randomAffine(rng, l)
	for c := range 3 {
		l.RunningMean.Value[c] = float32(rng.NormFloat64())
		l.RunningVar.Value[c] = float32(0.5 + rng.Float64())
	}
	rm := append([]float32(nil), l.RunningMean.Value...)
	rv := append([]float32(nil), l.RunningVar.Value...)
	x := nntest.Random(rng, 2, 3, 4, 5)
	y := l.Forward(x, false)
	for i, v := range y.Data {
		c := i / 20 % 3
		want := float64(l.Weight.Value[c])*(float64(x.Data[i])-float64(rm[c]))/math.Sqrt(float64(rv[c])+1e-5) + float64(l.Bias.Value[c])
		if math.Abs(float64(v)-want) > 1e-5*(1+math.Abs(want)) {
			t.Fatalf("eval y[%d] = %v, want %v", i, v, want)
		}
	}
	for c := range 3 {
		if l.RunningMean.Value[c] != rm[c] || l.RunningVar.Value[c] != rv[c] {
			t.Fatalf("eval Forward changed the running statistics of channel %d", c)
		}
	}
}

func TestBatchNorm2DGradients(t *testing.T) {
	for _, tc := range []struct {
		name  string
		shape []int
		train bool
	}{
		{"train", []int{4, 3, 3, 3}, true},
		{"train_1x1_spatial", []int{6, 2, 1, 1}, true},
		{"train_odd", []int{2, 2, 3, 5}, true},
		{"eval", []int{2, 3, 3, 4}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(4, 5))
			l := nn.NewBatchNorm2D(tc.shape[1])
			randomAffine(rng, l)
			for c := range l.C {
				l.RunningMean.Value[c] = float32(0.3 * rng.NormFloat64())
				l.RunningVar.Value[c] = float32(0.5 + rng.Float64())
			}
			x := nntest.Random(rng, tc.shape...)
			nntest.CheckLayer(t, l, x, tc.train, nntest.Options{})
		})
	}
}

func TestBatchNorm2DSteadyStateAllocatesNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 7))
	x := nntest.Random(rng, 4, 3, 6, 6)
	assertSteadyStateNoAllocs(t, nn.NewBatchNorm2D(3), x, true)
	assertSteadyStateNoAllocs(t, nn.NewBatchNorm2D(3), x, false)
}

func TestBatchNorm2DStateAndParams(t *testing.T) {
	l := nn.NewBatchNorm2D(2)
	var _ nn.Stateful = l
	names := map[string]bool{}
	for _, b := range l.Buffers() {
		names[b.Name] = true
	}
	if !names["running_mean"] || !names["running_var"] || len(names) != 2 {
		t.Errorf("buffers %v, want running_mean and running_var", names)
	}
	for _, p := range l.Params() {
		if !p.NoDecay {
			t.Errorf("batch norm %s decays; affine parameters should not", p.Name)
		}
	}
	if l.Weight.Value[1] != 1 || l.Bias.Value[1] != 0 || l.RunningVar.Value[1] != 1 || l.RunningMean.Value[1] != 0 {
		t.Error("initial γ, β, running_mean, running_var are not 1, 0, 0, 1")
	}
}

// BenchmarkBatchNorm normalises the reference net's first stage: (32, 16, 32, 32).
func BenchmarkBatchNorm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	l := nn.NewBatchNorm2D(16)
	x := nntest.Random(rng, 32, 16, 32, 32)
	dy := nntest.Random(rng, x.Shape...)
	b.Run("Forward", func(b *testing.B) {
		b.SetBytes(int64(4 * len(x.Data)))
		for b.Loop() {
			l.Forward(x, true)
		}
	})
	b.Run("Backward", func(b *testing.B) {
		l.Forward(x, true)
		b.SetBytes(int64(4 * len(x.Data)))
		for b.Loop() {
			l.Backward(dy)
		}
	})
}
