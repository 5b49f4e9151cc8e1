package nn

import "math"

// Schedule maps an optimizer step (0, 1, 2, …) to a learning rate.
type Schedule interface {
	LR(step int) float64
}

// WarmupCosine warms the learning rate up linearly, then decays it along a
// half cosine:
//
//	LR(s) = Base·(s+1)/Warmup                                   s < Warmup
//	LR(s) = Min + (Base−Min)·(1 + cos(π·(s−Warmup)/(Total−Warmup)))/2   Warmup ≤ s < Total
//	LR(s) = Min                                                 s ≥ Total
//
// So the first step already moves (Base/Warmup, as in llm.c), step Warmup−1
// and step Warmup run at Base, and the rate reaches Min at step Total and
// stays there (Total wins over Warmup when Warmup ≥ Total). Negative steps
// count as step 0. Warmup = 0 skips the warm-up.
type WarmupCosine struct {
	Base, Min     float64
	Warmup, Total int
}

// LR returns the learning rate for step s.
func (c WarmupCosine) LR(s int) float64 {
	s = max(s, 0)
	switch {
	case s >= c.Total:
		return c.Min
	case s < c.Warmup:
		return c.Base * float64(s+1) / float64(c.Warmup)
	}
	progress := float64(s-c.Warmup) / float64(c.Total-c.Warmup)
	return c.Min + (c.Base-c.Min)*(1+math.Cos(math.Pi*progress))/2
}
