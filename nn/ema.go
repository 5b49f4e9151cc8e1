package nn

import "fmt"

// EMA keeps an exponential moving average of a model's weights (Polyak
// averaging, as Mean Teacher and FixMatch evaluate with): after every
// optimizer step, for every parameter and buffer θ of the live model,
//
//	θ̄ ← d·θ̄ + (1 − d)·θ,   d = min(Decay, (1 + t)/(10 + t))
//
// where t counts the updates so far, so the average is not dominated by the
// initial weights early in a short run. Model holds θ̄ as a model of the same
// architecture, for evaluation or as a teacher.
type EMA struct {
	Decay float64
	Model *Model

	live, avg []NamedTensor
	updates   int
}

// NewEMA starts an average of m at m's current weights.
func NewEMA(m *Model, decay float64) *EMA {
	if !(decay >= 0 && decay < 1) {
		panic(fmt.Sprintf("nn: NewEMA: decay %g outside [0, 1)", decay))
	}
	c := m.Clone()
	return &EMA{Decay: decay, Model: c, live: m.Tensors(), avg: c.Tensors()}
}

// Update moves the average one step towards the live model's weights.
func (e *EMA) Update() {
	t := float64(e.updates)
	d := float32(min(e.Decay, (1+t)/(10+t)))
	for i, a := range e.avg {
		v := e.live[i].Data
		for j := range a.Data {
			a.Data[j] = d*a.Data[j] + (1-d)*v[j]
		}
	}
	e.updates++
}

// Reset sets the average to the live model's weights.
func (e *EMA) Reset() {
	for i, a := range e.avg {
		copy(a.Data, e.live[i].Data)
	}
	e.updates = 0
}
