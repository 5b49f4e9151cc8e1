package nn

import (
	"fmt"
	"math"
)

// Adam is the Adam optimizer with bias correction (Kingma & Ba), with
// PyTorch's semantics (torch.optim.Adam, and torch.optim.AdamW when
// Decoupled). At step t = 1, 2, … for each parameter θ with gradient g and
// weight decay λ (skipped for NoDecay params):
//
//	θ ← θ − lr·λ·θ                       if Decoupled (AdamW)
//	g ← g + λθ                           otherwise (L2 penalty)
//	m ← β₁m + (1−β₁)g
//	v ← β₂v + (1−β₂)g²
//	θ ← θ − (lr/(1−β₁ᵗ)) · m / (√v/√(1−β₂ᵗ) + ε)
//
// m and v start at 0. Its state is m ("optim.<i>.exp_avg"), v
// ("optim.<i>.exp_avg_sq") and t ("optim.step", shape [1], exact as float32
// up to 2²⁴ steps); see Optimizer. The zero value of Beta1, Beta2 and Eps is
// taken literally; NewAdam sets PyTorch's defaults.
type Adam struct {
	LR          float64 // learning rate; SetLR changes it
	Beta1       float64 // β₁, decay of the first moment, usually 0.9
	Beta2       float64 // β₂, decay of the second moment, usually 0.999
	Eps         float64 // ε, usually 1e-8
	WeightDecay float64 // λ
	Decoupled   bool    // AdamW: decay θ directly instead of adding λθ to g

	step  int
	slots paramSlots
}

// NewAdam returns Adam with learning rate lr and PyTorch's defaults
// β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no weight decay.
func NewAdam(lr float64) *Adam {
	return &Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
}

// Step applies one update to params from their gradients.
func (o *Adam) Step(params []*Param) {
	if o.slots.kinds == nil {
		o.slots.kinds = []string{"exp_avg", "exp_avg_sq"}
	}
	o.slots.bind("Adam.Step", params)
	o.step++
	t := float64(o.step)
	bc1 := 1 - math.Pow(o.Beta1, t)
	bc2 := 1 - math.Pow(o.Beta2, t)
	stepSize := float32(o.LR / bc1)
	invSqrtBC2 := float32(1 / math.Sqrt(bc2))
	b1, b2, eps := float32(o.Beta1), float32(o.Beta2), float32(o.Eps)
	for i, p := range params {
		if len(p.Grad) != len(p.Value) {
			panic(fmt.Sprintf("nn: Adam.Step: %s has %d values, %d gradients", p.Name, len(p.Value), len(p.Grad)))
		}
		theta, grad := p.Value, p.Grad[:len(p.Value)]
		m := o.slots.slots[0][i][:len(theta)]
		v := o.slots.slots[1][i][:len(theta)]
		wd := float32(o.WeightDecay)
		if p.NoDecay {
			wd = 0
		}
		l2, shrink := wd, float32(1)
		if o.Decoupled {
			l2, shrink = 0, float32(1-o.LR*float64(wd))
		}
		for j, g := range grad {
			th := theta[j] * shrink
			g += l2 * th
			m[j] = b1*m[j] + (1-b1)*g
			v[j] = b2*v[j] + (1-b2)*g*g
			denom := float32(math.Sqrt(float64(v[j])))*invSqrtBC2 + eps
			theta[j] = th - stepSize*m[j]/denom
		}
	}
}

// SetLR sets the learning rate for the following steps.
func (o *Adam) SetLR(lr float64) { o.LR = lr }

// LearningRate returns the learning rate.
func (o *Adam) LearningRate() float64 { return o.LR }

// State returns "optim.step" and, for each param i, "optim.<i>.exp_avg" and
// "optim.<i>.exp_avg_sq" (only "optim.step" before the first Step). The
// moment buffers alias the optimizer's state.
func (o *Adam) State() []Buffer {
	step := Buffer{Name: "optim.step", Shape: []int{1}, Value: []float32{float32(o.step)}}
	return append([]Buffer{step}, o.slots.buffers()...)
}

// LoadState binds the optimizer to params and loads the step count and
// moments from state, which must hold exactly the buffers State returns for
// these params (only "optim.step" = 0 when the optimizer never stepped).
func (o *Adam) LoadState(params []*Param, state []Buffer) error {
	var step float32
	found := false
	for _, b := range state {
		if b.Name == "optim.step" {
			if len(b.Value) != 1 || b.Value[0] < 0 || b.Value[0] != float32(math.Trunc(float64(b.Value[0]))) {
				return fmt.Errorf("Adam: load state: optim.step %v is not a step count", b.Value)
			}
			step, found = b.Value[0], true
		}
	}
	if !found {
		return fmt.Errorf("Adam: load state: no optim.step")
	}
	o.slots.kinds = []string{"exp_avg", "exp_avg_sq"}
	if err := o.slots.load("Adam", params, state, step == 0, "optim.step"); err != nil {
		return err
	}
	o.step = int(step)
	return nil
}
