package nn_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

func TestConcat(t *testing.T) {
	const n, k, d = 3, 4, 5
	rng := rand.New(rand.NewPCG(1, 1))
	l := nn.NewConcat(k)
	x := nntest.Random(rng, n*k, d)
	y := l.Forward(x, true)
	if fmt.Sprint(y.Shape) != fmt.Sprint([]int{n, k * d}) {
		t.Fatalf("shape %v, want [%d %d]", y.Shape, n, k*d)
	}
	// Sample i's features are its K tiles' rows, one after the other.
	for i := range n {
		for tile := range k {
			for j := range d {
				if got, want := y.Data[i*k*d+tile*d+j], x.Data[(i*k+tile)*d+j]; got != want {
					t.Fatalf("y[%d, %d] = %v, want x[%d, %d] = %v", i, tile*d+j, got, i*k+tile, j, want)
				}
			}
		}
	}
	dx := l.Backward(nntest.Random(rng, n, k*d))
	if fmt.Sprint(dx.Shape) != fmt.Sprint([]int{n * k, d}) {
		t.Fatalf("dx shape %v, want [%d %d]", dx.Shape, n*k, d)
	}
	nntest.CheckLayer(t, l, x, true, nntest.Options{})
	assertSteadyStateNoAllocs(t, l, x, true)
}

func TestConcatPanicsOnPartialGroup(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Concat(4) accepted 6 rows")
		}
	}()
	nn.NewConcat(4).Forward(nn.NewTensor(6, 2), true)
}
