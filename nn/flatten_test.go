package nn_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

func TestFlatten(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	l := nn.NewFlatten()
	x := nntest.Random(rng, 2, 3, 4, 5)
	y := l.Forward(x, true)
	if fmt.Sprint(y.Shape) != "[2 60]" {
		t.Fatalf("shape %v, want [2 60]", y.Shape)
	}
	for i := range x.Data {
		if y.Data[i] != x.Data[i] {
			t.Fatalf("y[%d] = %v, want x[%d] = %v", i, y.Data[i], i, x.Data[i])
		}
	}
	dx := l.Backward(nntest.Random(rng, 2, 60))
	if fmt.Sprint(dx.Shape) != "[2 3 4 5]" {
		t.Fatalf("dx shape %v, want [2 3 4 5]", dx.Shape)
	}
	nntest.CheckLayer(t, l, x, true, nntest.Options{})
	assertSteadyStateNoAllocs(t, l, x, true)
}
