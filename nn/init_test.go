package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

func TestKaimingNormal(t *testing.T) {
	for _, fanIn := range []int{9, 27, 288} {
		w := make([]float32, 20000)
		nn.KaimingNormal(rand.New(rand.NewPCG(1, 2)), w, fanIn)
		var s, ss float64
		for _, v := range w {
			s += float64(v)
			ss += float64(v) * float64(v)
		}
		mean := s / float64(len(w))
		std := math.Sqrt(ss/float64(len(w)) - mean*mean)
		want := math.Sqrt(2 / float64(fanIn))
		// Standard errors: mean ≈ want/141, std ≈ want/200; allow 4 of them.
		if math.Abs(mean) > 4*want/141 || math.Abs(std-want) > 4*want/200 {
			t.Errorf("fanIn %d: mean %.4g std %.4g, want 0 and %.4g", fanIn, mean, std, want)
		}
		again := make([]float32, len(w))
		nn.KaimingNormal(rand.New(rand.NewPCG(1, 2)), again, fanIn)
		for i := range w {
			if w[i] != again[i] {
				t.Fatalf("fanIn %d: same seed gave different weights at %d", fanIn, i)
			}
		}
	}
}

func TestConstructorsInitialise(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	conv := nn.NewConv2D(3, 16, 3, 1, 1, rng)
	dense := nn.NewDense(64, 10, rng)
	for _, p := range []*nn.Param{conv.Bias, dense.Bias} {
		if !p.NoDecay {
			t.Errorf("bias %v decays", p.Shape)
		}
		for _, v := range p.Value {
			if v != 0 {
				t.Fatalf("bias %v is not zero", p.Shape)
			}
		}
	}
	for _, p := range []*nn.Param{conv.Weight, dense.Weight} {
		if p.NoDecay {
			t.Errorf("weight %v skips decay", p.Shape)
		}
		nonzero := 0
		for _, v := range p.Value {
			if v != 0 {
				nonzero++
			}
		}
		if nonzero != len(p.Value) {
			t.Errorf("weight %v: %d of %d entries initialised", p.Shape, nonzero, len(p.Value))
		}
	}
	if conv.Weight.Name != "weight" || conv.Bias.Name != "bias" {
		t.Errorf("conv param names %q, %q", conv.Weight.Name, conv.Bias.Name)
	}
	if s := conv.Weight.Shape; len(s) != 4 || s[0] != 16 || s[1] != 3 || s[2] != 3 || s[3] != 3 {
		t.Errorf("conv weight shape %v, want OIHW [16 3 3 3]", s)
	}
	if s := dense.Weight.Shape; len(s) != 2 || s[0] != 10 || s[1] != 64 {
		t.Errorf("dense weight shape %v, want (out, in) [10 64]", s)
	}
}
