package nn

import (
	"fmt"

	"github.com/tessera-ssl/tessera/nn/kernel"
)

// SGD is stochastic gradient descent with momentum, with PyTorch's
// semantics (torch.optim.SGD, dampening 0). For each parameter θ with
// gradient g, weight decay λ (skipped for NoDecay params), momentum μ:
//
//	g ← g + λθ
//	v ← μv + g                 (v starts at 0; only when μ ≠ 0)
//	d ← g + μv if Nesterov, else v   (d = g when μ = 0)
//	θ ← θ − lr·d
//
// The momentum buffers v are its state ("optim.<i>.momentum"), allocated at
// the first Step when Momentum ≠ 0; see Optimizer.
type SGD struct {
	LR          float64 // learning rate; SetLR changes it
	Momentum    float64 // μ
	WeightDecay float64 // λ, L2 penalty added to the gradient
	Nesterov    bool

	slots paramSlots
}

// Step applies one update to params from their gradients.
func (o *SGD) Step(params []*Param) {
	o.bind(params)
	lr, mu, wd := float32(o.LR), float32(o.Momentum), float32(o.WeightDecay)
	for i, p := range params {
		decay := wd
		if p.NoDecay {
			decay = 0
		}
		if len(p.Grad) != len(p.Value) {
			panic(fmt.Sprintf("nn: SGD.Step: %s has %d values, %d gradients", p.Name, len(p.Value), len(p.Grad)))
		}
		theta, grad := p.Value, p.Grad[:len(p.Value)]
		if mu == 0 {
			kernel.SGD(theta, grad, lr, decay)
			continue
		}
		kernel.SGDMomentum(theta, grad, o.slots.slots[0][i][:len(theta)], lr, mu, decay, o.Nesterov)
	}
}

func (o *SGD) bind(params []*Param) {
	if o.slots.params == nil && o.slots.kinds == nil && o.Momentum != 0 {
		o.slots.kinds = []string{"momentum"}
	}
	if o.Momentum != 0 && len(o.slots.kinds) == 0 {
		panic("nn: SGD.Step: Momentum became non-zero after the first step")
	}
	o.slots.bind("SGD.Step", params)
}

// SetLR sets the learning rate for the following steps.
func (o *SGD) SetLR(lr float64) { o.LR = lr }

// LearningRate returns the learning rate.
func (o *SGD) LearningRate() float64 { return o.LR }

// State returns the momentum buffers "optim.<i>.momentum" (none when
// Momentum is 0 or before the first Step); they alias the optimizer's state.
func (o *SGD) State() []Buffer { return o.slots.buffers() }

// LoadState binds the optimizer to params and loads its momentum buffers
// from state, which must hold exactly one "optim.<i>.momentum" of the
// param's shape for each param when Momentum ≠ 0, and nothing otherwise.
// An empty state (an optimizer that never stepped) loads as zero momentum.
func (o *SGD) LoadState(params []*Param, state []Buffer) error {
	o.slots.kinds = nil
	if o.Momentum != 0 {
		o.slots.kinds = []string{"momentum"}
	}
	return o.slots.load("SGD", params, state, len(state) == 0)
}
