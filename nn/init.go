package nn

import (
	"math"
	"math/rand/v2"
)

// KaimingNormal fills w with draws from N(0, 2/fanIn), He et al.'s
// initialisation for weights followed by a ReLU (PyTorch's
// kaiming_normal_(mode="fan_in", nonlinearity="relu")): it keeps the
// variance of activations constant from layer to layer. For a conv weight
// fanIn = inC·K·K, for a dense weight fanIn = in.
func KaimingNormal(rng *rand.Rand, w []float32, fanIn int) {
	if fanIn <= 0 {
		panic("nn: KaimingNormal: fanIn must be positive")
	}
	std := math.Sqrt(2 / float64(fanIn))
	for i := range w {
		w[i] = float32(rng.NormFloat64() * std)
	}
}

// Fill sets every element of w to v (batch norm's gamma starts at 1).
func Fill(w []float32, v float32) {
	for i := range w {
		w[i] = v
	}
}
