package nntest

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestKinkFree(t *testing.T) {
	for _, n := range []int{1, 2, 7, 21, 64} {
		const gap = 0.05
		x := KinkFree(rand.New(rand.NewPCG(1, uint64(n))), gap, n)
		seen := map[float32]bool{}
		for _, v := range x.Data {
			if math.Abs(float64(v)) < gap/2-1e-7 {
				t.Errorf("n=%d: %v is closer than gap/2 to zero", n, v)
			}
			for u := range seen {
				if math.Abs(float64(u-v)) < gap-1e-6 {
					t.Errorf("n=%d: %v and %v are closer than gap", n, u, v)
				}
			}
			seen[v] = true
		}
	}
}

// Check must catch a wrong gradient and accept the right one.
func TestCheckDetectsWrongGradient(t *testing.T) {
	x := []float32{0.3, -1.2, 2}
	loss := func() float64 { // L = Σ xᵢ³
		s := 0.0
		for _, v := range x {
			s += float64(v) * float64(v) * float64(v)
		}
		return s
	}
	right := []float32{3 * 0.09, 3 * 1.44, 3 * 4}
	if r := Check(loss, []Var{{"x", x, right}}, Options{Eps: 1e-3}); r.Worst > 1e-2 || r.Checked != 3 {
		t.Errorf("correct gradient rejected: %v", r)
	}
	wrong := []float32{3 * 0.09, 3 * 1.44, 3 * 4.2}
	if r := Check(loss, []Var{{"x", x, wrong}}, Options{Eps: 1e-3}); r.Worst < 1e-2 || r.WorstAt != "x[2]" {
		t.Errorf("wrong gradient accepted: %v", r)
	}
}
