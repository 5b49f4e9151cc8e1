package nn_test

import (
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

func TestReLU(t *testing.T) {
	for _, shape := range [][]int{{2, 3, 4, 5}, {7, 3}, {1, 1, 1, 1}} {
		rng := rand.New(rand.NewPCG(1, uint64(len(shape))))
		l := nn.NewReLU()
		// gap 0.05 > 2·Eps: no central difference crosses the kink at 0.
		x := nntest.KinkFree(rng, 0.05, shape...)
		y := l.Forward(x, true)
		for i, v := range x.Data {
			if want := max(v, 0); y.Data[i] != want {
				t.Fatalf("%v: y[%d] = %v, want %v", shape, i, y.Data[i], want)
			}
		}
		nntest.CheckLayer(t, l, x, true, nntest.Options{})
		assertSteadyStateNoAllocs(t, l, x, true)
	}
}
