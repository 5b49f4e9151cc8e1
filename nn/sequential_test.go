package nn_test

import (
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

// smallNet chains smooth layers (conv → bn → conv → global pool → concat →
// dense) so the composed gradient can be checked without kinks; ReLU and max
// pooling are checked alone on kink-free inputs.
func smallNet(rng *rand.Rand) nn.Sequential {
	return nn.Sequential{
		nn.NewConv2D(2, 4, 3, 1, 1, rng),
		nn.NewBatchNorm2D(4),
		nn.NewConv2D(4, 3, 3, 2, 1, rng),
		nn.NewGlobalAvgPool(),
		nn.NewConcat(2),
		nn.NewDense(6, 2, rng),
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
	// Floor 1e-2: the net's gradients are mostly 1e-3…1e-1 and float32
	// rounding through five layers leaves ~1e-5 of noise in the differences.
	nntest.CheckLayer(t, s, x, true, nntest.Options{Floor: 1e-2})
	assertSteadyStateNoAllocs(t, s, x, true)

	s.SkipInputGrad(true)
	y := s.Forward(x, true)
	if dx := s.Backward(nntest.Random(rng, y.Shape...)); dx != nil {
		t.Error("Backward returned dx after SkipInputGrad(true)")
	}
}
