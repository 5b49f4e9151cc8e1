package nn_test

import (
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

// smallNet is conv → bn → relu → pool → conv → relu → gap → dense: every
// layer once, for an end-to-end gradient check.
func smallNet(rng *rand.Rand) nn.Sequential {
	return nn.Sequential{
		nn.NewConv2D(2, 4, 3, 1, 1, rng),
		nn.NewBatchNorm2D(4),
		nn.NewReLU(),
		nn.NewMaxPool2D(2, 2),
		nn.NewConv2D(4, 3, 3, 1, 1, rng),
		nn.NewReLU(),
		nn.NewGlobalAvgPool(),
		nn.NewDense(3, 2, rng),
	}
}

func TestSequential(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	s := smallNet(rng)
	if got := len(s.Params()); got != 8 {
		t.Errorf("%d params, want 8 (2 per conv, bn and dense)", got)
	}
	if got := len(s.Buffers()); got != 2 {
		t.Errorf("%d buffers, want 2 (batch norm's running stats)", got)
	}
	x := nntest.Random(rng, 4, 2, 6, 6)
	// Small steps: ReLU and max-pool kinks inside the net are not controlled here.
	nntest.CheckLayer(t, s, x, true, nntest.Options{Eps: 1e-3, Tol: 2e-2, Floor: 1e-2})
	assertSteadyStateNoAllocs(t, s, x, true)

	s.SkipInputGrad(true)
	y := s.Forward(x, true)
	if dx := s.Backward(nntest.Random(rng, y.Shape...)); dx != nil {
		t.Error("Backward returned dx after SkipInputGrad(true)")
	}
}
