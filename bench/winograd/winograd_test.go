package winograd

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/kernel"
)

// shapes are the reference net's conv2 and conv3, plus an odd channel count.
var shapes = []struct{ c, o, size int }{{16, 32, 16}, {32, 64, 8}, {3, 5, 6}}

func setup(c, o, size, n int) (*nn.Conv2D, *nn.Tensor) {
	rng := rand.New(rand.NewPCG(uint64(c), uint64(o)))
	l := nn.NewConv2D(c, o, 3, 1, 1, rng)
	for i := range l.Bias.Value {
		l.Bias.Value[i] = float32(rng.NormFloat64())
	}
	x := nn.NewTensor(n, c, size, size)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	return l, x
}

func TestForwardMatchesConv2D(t *testing.T) {
	for _, s := range shapes {
		l, x := setup(s.c, s.o, s.size, 3)
		want := l.Forward(x, true)
		got := make([]float32, len(want.Data))
		var wz Conv
		wz.Forward(x.Data, 3, s.c, s.size, s.size, l.Weight.Value, l.Bias.Value, s.o, got)
		var d, scale float64
		for i := range got {
			d = math.Max(d, math.Abs(float64(got[i]-want.Data[i])))
			scale = math.Max(scale, math.Abs(float64(want.Data[i])))
		}
		if d > 1e-5*scale {
			t.Errorf("%+v: max difference %.3g from nn.Conv2D (largest output %.3g)", s, d, scale)
		}
	}
}

// BenchmarkForward compares nn.Conv2D.Forward, the Winograd forward and its
// 16 GEMMs alone at the reference net's shapes, batch 32; cpu-µs/op is the
// process's CPU time (steadier on a shared machine).
func BenchmarkForward(b *testing.B) {
	for _, s := range shapes[:2] {
		l, x := setup(s.c, s.o, s.size, 32)
		y := make([]float32, 32*s.o*s.size*s.size)
		var wz Conv
		o, c, p := s.o, s.c, 32*s.size*s.size/4
		for _, v := range []struct {
			name string
			f    func()
		}{
			{"conv2d", func() { l.Forward(x, true) }},
			{"winograd", func() { wz.Forward(x.Data, 32, s.c, s.size, s.size, l.Weight.Value, l.Bias.Value, s.o, y) }},
			{"winograd_gemms", func() {
				for xi := range 16 {
					kernel.Sgemm(false, false, o, p, c, 1, wz.u[xi*o*c:(xi+1)*o*c], c, wz.v[xi*c*p:(xi+1)*c*p], p, 0, wz.m[xi*o*p:(xi+1)*o*p], p)
				}
			}},
		} {
			b.Run(fmt.Sprintf("%dto%d_%dx%d/%s", s.c, s.o, s.size, s.size, v.name), func(b *testing.B) {
				wz.Forward(x.Data, 32, s.c, s.size, s.size, l.Weight.Value, l.Bias.Value, s.o, y)
				c0, ok := cpuSeconds()
				for b.Loop() {
					v.f()
				}
				if c1, ok1 := cpuSeconds(); ok && ok1 {
					b.ReportMetric((c1-c0)/float64(b.N)*1e6, "cpu-µs/op")
				}
			})
		}
	}
}
