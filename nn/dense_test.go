package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

func TestDense(t *testing.T) {
	for _, g := range []struct{ n, in, out int }{{4, 5, 3}, {1, 1, 1}, {3, 17, 9}} {
		rng := rand.New(rand.NewPCG(1, uint64(g.in)))
		l := nn.NewDense(g.in, g.out, rng)
		for i := range l.Bias.Value {
			l.Bias.Value[i] = float32(rng.NormFloat64())
		}
		x := nntest.Random(rng, g.n, g.in)
		y := l.Forward(x, true)
		if y.Shape[0] != g.n || y.Shape[1] != g.out {
			t.Fatalf("shape %v, want [%d %d]", y.Shape, g.n, g.out)
		}
		for i := range g.n {
			for o := range g.out {
				want := float64(l.Bias.Value[o]) // PyTorch Linear: y = x·Wᵀ + b, W is (out, in)
				for k := range g.in {
					want += float64(x.Data[i*g.in+k]) * float64(l.Weight.Value[o*g.in+k])
				}
				if got := float64(y.Data[i*g.out+o]); math.Abs(got-want) > 1e-5*(1+math.Abs(want)) {
					t.Fatalf("y[%d, %d] = %v, want %v", i, o, got, want)
				}
			}
		}
		nntest.CheckLayer(t, l, x, true, nntest.Options{Eps: 0.1}) // linear: wide steps are exact
		assertSteadyStateNoAllocs(t, l, x, true)
		l.SkipInputGrad(true)
		l.Forward(x, true)
		if dx := l.Backward(y); dx != nil {
			t.Fatal("Backward returned dx with SkipInputGrad(true)")
		}
		nntest.CheckLayer(t, l, x, true, nntest.Options{Eps: 0.1}) // linear: wide steps are exact
	}
}

// Forward copies its input: overwriting x before Backward must not change dW.
func TestDenseKeepsItsInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	l := nn.NewDense(4, 2, rng)
	x := nntest.Random(rng, 3, 4)
	keep := x.Clone()
	dy := nntest.Random(rng, 3, 2)
	l.Forward(x, true)
	clear(x.Data)
	l.Backward(dy)
	for o := range 2 {
		for k := range 4 {
			var want float32
			for i := range 3 {
				want += dy.Data[i*2+o] * keep.Data[i*4+k]
			}
			if got := l.Weight.Grad[o*4+k]; math.Abs(float64(got-want)) > 1e-5 {
				t.Fatalf("dW[%d, %d] = %v, want %v", o, k, got, want)
			}
		}
	}
}
