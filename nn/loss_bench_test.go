package nn_test

import (
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

// BenchmarkSoftmaxCrossEntropy measures loss and gradient for whole-image
// classification (N, K) and per-position classification (N, K, H, W) of
// colorization's size.
func BenchmarkSoftmaxCrossEntropy(b *testing.B) {
	for _, c := range []struct {
		name  string
		shape []int
	}{
		{"rotation-64x4", []int{64, 4}},
		{"jigsaw-64x100", []int{64, 100}},
		{"color-16x32x16x16", []int{16, 32, 16, 16}},
	} {
		b.Run(c.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			logits := nntest.Random(rng, c.shape...)
			labels := make([]int, logits.Len()/c.shape[1])
			for i := range labels {
				labels[i] = rng.IntN(c.shape[1])
			}
			d := nn.NewTensor(c.shape...)
			l := &nn.SoftmaxCrossEntropy{Smoothing: 0.1}
			b.SetBytes(int64(4 * logits.Len()))
			for b.Loop() {
				l.Forward(logits, labels, d)
			}
		})
	}
}
