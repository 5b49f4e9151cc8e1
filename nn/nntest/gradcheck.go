// Package nntest checks the gradients of nn layers and losses numerically,
// the way gonum's optimize/functions/validate.go checks functions: analytic
// gradients against central differences, with the worst error reported.
package nntest

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

// Report is the outcome of a gradient check.
type Report struct {
	Worst     float64 // worst relative error over all checked entries
	WorstAt   string  // which tensor and index it occurred at
	Analytic  float64 // analytic value at WorstAt
	Numerical float64 // central-difference value at WorstAt
	Checked   int     // entries compared
	Kinks     int     // entries set aside because a kink lay within ±h (DetectKinks)
}

func (r Report) String() string {
	return fmt.Sprintf("worst relative error %.3g at %s (analytic %.6g, numerical %.6g) over %d entries, %d kinks set aside",
		r.Worst, r.WorstAt, r.Analytic, r.Numerical, r.Checked, r.Kinks)
}

// Options tune a check. The zero value is usable: Eps 1e-2 (float32 forward
// passes need a wide step), Tol 1e-2, Floor 1e-3, at most 64 entries per tensor.
type Options struct {
	Eps     float64 // central-difference step h
	Tol     float64 // pass when |a-n| / max(|a|, |n|, Floor) ≤ Tol
	Floor   float64 // magnitude below which errors count as absolute
	MaxEach int     // entries sampled per tensor (all when ≤ 0 ... see Check)
	Seed    uint64
	// DetectKinks is for whole networks, where no input can keep every ReLU
	// and max away from its kink. An entry whose one-sided slopes
	// (L(v+h)−L(v))/h and (L(v)−L(v−h))/h differ by more than Tol relative
	// (and more than Floor absolute, above float32 rounding noise) has a kink
	// within ±h: a smooth function's slopes differ by only |L''|·h. Such entries are counted in Kinks instead of compared;
	// CheckLayer fails if more than a tenth of the entries are kinks.
	DetectKinks bool
}

func (o Options) withDefaults() Options {
	if o.Eps == 0 {
		o.Eps = 1e-2
	}
	if o.Tol == 0 {
		o.Tol = 1e-2
	}
	if o.Floor == 0 {
		o.Floor = 1e-3
	}
	if o.MaxEach == 0 {
		o.MaxEach = 64
	}
	return o
}

// Var is one tensor to differentiate with respect to: its values (perturbed
// in place during the check) and the analytic gradient to compare against.
type Var struct {
	Name     string
	Value    []float32
	Analytic []float32
}

// Check compares analytic gradients with central differences
//
//	∂L/∂v ≈ (L(v+h) − L(v−h)) / 2h
//
// where loss evaluates L in float64 from the current values. It samples up to
// MaxEach entries of every Var (all entries when a tensor is smaller), restores
// every value it perturbs, and returns the worst relative error.
func Check(loss func() float64, vars []Var, o Options) Report {
	o = o.withDefaults()
	rng := rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15))
	var r Report
	for _, v := range vars {
		if len(v.Value) != len(v.Analytic) {
			panic(fmt.Sprintf("nntest: %s: %d values but %d gradients", v.Name, len(v.Value), len(v.Analytic)))
		}
		idx := sampleIndices(len(v.Value), o.MaxEach, rng)
		for _, i := range idx {
			orig := v.Value[i]
			center := 0.0
			if o.DetectKinks {
				center = loss()
			}
			v.Value[i] = orig + float32(o.Eps)
			plus := loss()
			v.Value[i] = orig - float32(o.Eps)
			minus := loss()
			v.Value[i] = orig
			// The step actually taken in float32 may differ from Eps.
			h := (float64(orig+float32(o.Eps)) - float64(orig-float32(o.Eps))) / 2
			num := (plus - minus) / (2 * h)
			if o.DetectKinks {
				up, down := (plus-center)/h, (center-minus)/h
				if math.Abs(up-down) > math.Max(o.Tol*math.Max(math.Abs(up), math.Abs(down)), o.Floor) {
					r.Kinks++
					continue
				}
			}
			ana := float64(v.Analytic[i])
			rel := math.Abs(ana-num) / math.Max(math.Max(math.Abs(ana), math.Abs(num)), o.Floor)
			r.Checked++
			if rel > r.Worst || math.IsNaN(rel) {
				r.Worst, r.WorstAt, r.Analytic, r.Numerical = rel, fmt.Sprintf("%s[%d]", v.Name, i), ana, num
			}
		}
	}
	return r
}

func sampleIndices(n, max int, rng *rand.Rand) []int {
	if max <= 0 || n <= max {
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		return idx
	}
	return rng.Perm(n)[:max]
}

// CheckLayer checks a layer's input and parameter gradients on input x with
// the scalar loss L = Σ rᵢ·yᵢ for a fixed random r, so dL/dy = r.
// train selects the layer's training mode (batch norm then uses batch
// statistics, which the check differentiates through). It fails t when the
// worst relative error exceeds o.Tol and logs the report either way.
//
// Kinks (ReLU at 0, ties in max pooling) must be avoided by the caller's
// choice of x, for example with KinkFree; the check never loosens Tol for them.
func CheckLayer(t testing.TB, layer nn.Layer, x *nn.Tensor, train bool, o Options) Report {
	t.Helper()
	o = o.withDefaults()
	rng := rand.New(rand.NewPCG(o.Seed+1, 7))
	y := layer.Forward(x, train)
	r := make([]float32, y.Len())
	for i := range r {
		r[i] = float32(rng.NormFloat64())
	}
	params := layer.Params()
	for _, p := range params {
		clear(p.Grad)
	}
	dy := nn.FromData(append([]float32(nil), r...), y.Shape...)
	dx := layer.Backward(dy)
	vars := []Var{}
	if dx != nil {
		vars = append(vars, Var{Name: "input", Value: x.Data, Analytic: append([]float32(nil), dx.Data...)})
	}
	for _, p := range params {
		vars = append(vars, Var{Name: p.Name, Value: p.Value, Analytic: append([]float32(nil), p.Grad...)})
	}
	loss := func() float64 {
		y := layer.Forward(x, train)
		s := 0.0
		for i, v := range y.Data {
			s += float64(r[i]) * float64(v)
		}
		return s
	}
	rep := Check(loss, vars, o)
	if rep.Worst > o.Tol || rep.Checked == 0 || rep.Kinks*10 > rep.Checked+rep.Kinks {
		t.Errorf("gradient check failed: %v", rep)
	} else {
		t.Logf("gradient check: %v", rep)
	}
	return rep
}

// KinkFree returns a tensor whose entries are a random permutation of
// evenly spaced values (k + 1/2 − ⌊n/2⌋)·gap, k = 0…n−1: all distinct by at
// least gap and none closer than gap/2 to zero (for odd n too). With
// gap > 2·Eps no central difference crosses a ReLU kink or swaps the winner
// of a max.
func KinkFree(rng *rand.Rand, gap float64, shape ...int) *nn.Tensor {
	t := nn.NewTensor(shape...)
	n := len(t.Data)
	for i, k := range rng.Perm(n) {
		t.Data[i] = float32((float64(k) + 0.5 - float64(n/2)) * gap)
	}
	return t
}

// Random returns a tensor of standard normal entries.
func Random(rng *rand.Rand, shape ...int) *nn.Tensor {
	t := nn.NewTensor(shape...)
	for i := range t.Data {
		t.Data[i] = float32(rng.NormFloat64())
	}
	return t
}
