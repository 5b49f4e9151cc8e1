package nn_test

import (
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

// BenchmarkOptimizerStep measures one update of a 1M-parameter model.
func BenchmarkOptimizerStep(b *testing.B) {
	for _, c := range []struct {
		name string
		opt  nn.Optimizer
	}{
		{"SGD-nesterov", &nn.SGD{LR: 0.1, Momentum: 0.9, WeightDecay: 5e-4, Nesterov: true}},
		{"AdamW", &nn.Adam{LR: 1e-3, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.05, Decoupled: true}},
	} {
		b.Run(c.name, func(b *testing.B) {
			params := []*nn.Param{nn.NewParam("weight", 1000, 1000), nn.NewParam("bias", 1000)}
			for _, p := range params {
				for i := range p.Grad {
					p.Grad[i] = float32(i%7) - 3
				}
			}
			b.SetBytes(4 * 1001000)
			for b.Loop() {
				c.opt.Step(params)
			}
		})
	}
}
