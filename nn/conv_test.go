package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

// convGeometries covers square and odd shapes, strides, paddings and 1×1.
var convGeometries = []struct {
	n, c, o, h, w, k, s, p int
}{
	{2, 3, 4, 5, 5, 3, 1, 1},
	{2, 2, 3, 7, 5, 3, 2, 1},
	{1, 3, 2, 6, 7, 3, 1, 0},
	{2, 2, 2, 5, 6, 1, 1, 0},
	{1, 1, 3, 9, 8, 5, 2, 2},
	{3, 2, 2, 4, 4, 2, 2, 0},
	{1, 2, 2, 3, 3, 3, 3, 2}, // padding larger than the stride covers
	{2, 4, 3, 4, 3, 3, 1, 2},
	{2, 2, 3, 4, 1, 3, 1, 1}, // "same" on a one-pixel-wide image
	{2, 3, 2, 6, 5, 5, 1, 2},
	{2, 1, 2, 1, 2, 6, 1, 3},  // even kernel wider than the image
	{2, 3, 5, 8, 16, 3, 1, 1}, // rows of whole 8-pixel panels (kernel.Im2colPacked's fast path)
	{1, 2, 6, 4, 8, 5, 1, 2},  // the same for a 5×5 kernel, O not a multiple of 4
}

func geomName(n, c, o, h, w, k, s, p int) string {
	return fmt.Sprintf("n%d_c%d_o%d_%dx%d_k%d_s%d_p%d", n, c, o, h, w, k, s, p)
}

// naiveConv is the definition of Conv2D, loop by loop, in float64.
func naiveConv(x *nn.Tensor, wt, b []float32, o, k, s, p int) []float64 {
	n, c, h, w := x.Dims4()
	oh, ow := (h+2*p-k)/s+1, (w+2*p-k)/s+1
	y := make([]float64, n*o*oh*ow)
	for in := range n {
		for oc := range o {
			for oy := range oh {
				for ox := range ow {
					sum := float64(b[oc])
					for ci := range c {
						for i := range k {
							for j := range k {
								iy, ix := oy*s-p+i, ox*s-p+j
								if iy < 0 || iy >= h || ix < 0 || ix >= w {
									continue
								}
								sum += float64(wt[((oc*c+ci)*k+i)*k+j]) * float64(x.Data[((in*c+ci)*h+iy)*w+ix])
							}
						}
					}
					y[((in*o+oc)*oh+oy)*ow+ox] = sum
				}
			}
		}
	}
	return y
}

func TestConv2DForwardMatchesDirectConvolution(t *testing.T) {
	for _, g := range convGeometries {
		t.Run(geomName(g.n, g.c, g.o, g.h, g.w, g.k, g.s, g.p), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			l := nn.NewConv2D(g.c, g.o, g.k, g.s, g.p, rng)
			for i := range l.Bias.Value {
				l.Bias.Value[i] = float32(rng.NormFloat64())
			}
			x := nntest.Random(rng, g.n, g.c, g.h, g.w)
			want := naiveConv(x, l.Weight.Value, l.Bias.Value, g.o, g.k, g.s, g.p)
			// Twice: the second pass reuses every buffer.
			for pass := range 2 {
				y := l.Forward(x, true)
				oh, ow := l.OutSize(g.h, g.w)
				if fmt.Sprint(y.Shape) != fmt.Sprint([]int{g.n, g.o, oh, ow}) {
					t.Fatalf("pass %d: shape %v, want [%d %d %d %d]", pass, y.Shape, g.n, g.o, oh, ow)
				}
				for i, v := range y.Data {
					if math.Abs(float64(v)-want[i]) > 1e-4*(1+math.Abs(want[i])) {
						t.Fatalf("pass %d: y[%d] = %v, want %v", pass, i, v, want[i])
					}
				}
			}
		})
	}
}

func TestConv2DGradients(t *testing.T) {
	for _, g := range convGeometries {
		t.Run(geomName(g.n, g.c, g.o, g.h, g.w, g.k, g.s, g.p), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			l := nn.NewConv2D(g.c, g.o, g.k, g.s, g.p, rng)
			for i := range l.Bias.Value {
				l.Bias.Value[i] = float32(rng.NormFloat64())
			}
			x := nntest.Random(rng, g.n, g.c, g.h, g.w)
			// The layer is linear in x and W, so a wide step costs no
			// truncation error and divides the float32 rounding noise.
			nntest.CheckLayer(t, l, x, true, nntest.Options{Eps: 0.1})
		})
	}
}

// A first layer skips dL/dx but must still produce the same parameter gradients.
func TestConv2DSkipInputGrad(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	l := nn.NewConv2D(3, 4, 3, 1, 1, rng)
	x := nntest.Random(rng, 2, 3, 6, 6)
	y := l.Forward(x, true)
	dy := nntest.Random(rng, y.Shape...)
	if dx := l.Backward(dy); dx == nil {
		t.Fatal("Backward returned nil dx without SkipInputGrad")
	}
	want := append([]float32(nil), l.Weight.Grad...)
	clear(l.Weight.Grad)
	l.SkipInputGrad(true)
	l.Forward(x, true)
	if dx := l.Backward(dy); dx != nil {
		t.Fatal("Backward returned dx with SkipInputGrad(true)")
	}
	for i := range want {
		if l.Weight.Grad[i] != want[i] {
			t.Fatalf("weight grad [%d] = %v, want %v", i, l.Weight.Grad[i], want[i])
		}
	}
	nntest.CheckLayer(t, l, x, true, nntest.Options{})
}

// Without a bias (PyTorch's bias=False, used before batch norm) the layer
// offers only its weight and computes W ⊛ x.
func TestConv2DNoBias(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	l := nn.NewConv2D(2, 3, 3, 1, 1, rng)
	l.NoBias()
	if ps := l.Params(); len(ps) != 1 || ps[0].Name != "weight" {
		t.Fatalf("params after NoBias: %d, want the weight only", len(ps))
	}
	x := nntest.Random(rng, 2, 2, 5, 4)
	want := naiveConv(x, l.Weight.Value, make([]float32, 3), 3, 3, 1, 1)
	for pass := range 2 {
		y := l.Forward(x, true)
		for i, v := range y.Data {
			if math.Abs(float64(v)-want[i]) > 1e-4*(1+math.Abs(want[i])) {
				t.Fatalf("pass %d: y[%d] = %v, want %v", pass, i, v, want[i])
			}
		}
		y.Data[0] = 1e9 // garbage the next Forward must not add to
	}
	nntest.CheckLayer(t, l, x, true, nntest.Options{Eps: 0.1})
	assertSteadyStateNoAllocs(t, l, x, true)
}

// Backward adds into Param.Grad rather than overwriting it.
func TestConv2DBackwardAccumulates(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	l := nn.NewConv2D(2, 3, 3, 1, 1, rng)
	x := nntest.Random(rng, 2, 2, 5, 5)
	y := l.Forward(x, true)
	dy := nntest.Random(rng, y.Shape...)
	l.Backward(dy)
	once := append(append([]float32(nil), l.Weight.Grad...), l.Bias.Grad...)
	l.Forward(x, true)
	l.Backward(dy)
	twice := append(append([]float32(nil), l.Weight.Grad...), l.Bias.Grad...)
	for i := range once {
		if math.Abs(float64(twice[i]-2*once[i])) > 1e-5*(1+math.Abs(float64(once[i]))) {
			t.Fatalf("grad[%d]: after two backward passes %v, want 2×%v", i, twice[i], once[i])
		}
	}
}

func TestConv2DSteadyStateAllocatesNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	assertSteadyStateNoAllocs(t, nn.NewConv2D(3, 8, 3, 1, 1, rng), nntest.Random(rng, 4, 3, 8, 8), true)
	first := nn.NewConv2D(3, 8, 3, 2, 1, rng)
	first.SkipInputGrad(true)
	assertSteadyStateNoAllocs(t, first, nntest.Random(rng, 4, 3, 9, 9), true)
}

// assertSteadyStateNoAllocs fails t unless a Forward+Backward step of l on x,
// after a warm-up step, allocates nothing.
func assertSteadyStateNoAllocs(t *testing.T, l nn.Layer, x *nn.Tensor, train bool) {
	t.Helper()
	y := l.Forward(x, train)
	dy := nn.FromData(make([]float32, y.Len()), y.Shape...)
	for i := range dy.Data {
		dy.Data[i] = float32(i%7) - 3
	}
	allocs := testing.AllocsPerRun(5, func() {
		l.Forward(x, train)
		l.Backward(dy)
	})
	if allocs != 0 {
		t.Errorf("%T: Forward+Backward allocates %v times per step in steady state, want 0", l, allocs)
	}
}

// refNetConvs are the reference trunk's convolutions at batch 32, 3×3 pad 1.
var refNetConvs = []struct {
	name       string
	c, o, size int
}{
	{"3to16_32x32", 3, 16, 32},
	{"16to32_16x16", 16, 32, 16},
	{"32to64_8x8", 32, 64, 8},
}

// convFLOPs is the multiply-adds ×2 of one forward GEMM.
func convFLOPs(c, o, size int) float64 { return 2 * 32 * float64(o*c*9*size*size) }

func BenchmarkConvForward(b *testing.B) {
	for _, g := range refNetConvs {
		b.Run(g.name, func(b *testing.B) {
			rng := rand.New(rand.NewPCG(1, 1))
			l := nn.NewConv2D(g.c, g.o, 3, 1, 1, rng)
			x := nntest.Random(rng, 32, g.c, g.size, g.size)
			l.Forward(x, true)
			b.ResetTimer()
			for b.Loop() {
				l.Forward(x, true)
			}
			b.ReportMetric(convFLOPs(g.c, g.o, g.size)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}

// BenchmarkConvBackward measures Backward alone (dW, db and dx: twice the
// forward's FLOPs); "first" skips dx as a network's first layer does.
func BenchmarkConvBackward(b *testing.B) {
	for _, g := range refNetConvs {
		for _, skip := range []bool{false, true} {
			name := g.name
			if skip {
				name += "_first"
			}
			b.Run(name, func(b *testing.B) {
				rng := rand.New(rand.NewPCG(1, 1))
				l := nn.NewConv2D(g.c, g.o, 3, 1, 1, rng)
				l.SkipInputGrad(skip)
				x := nntest.Random(rng, 32, g.c, g.size, g.size)
				y := l.Forward(x, true)
				dy := nntest.Random(rng, y.Shape...)
				l.Backward(dy)
				b.ResetTimer()
				for b.Loop() {
					l.Backward(dy)
				}
				flops := 2 * convFLOPs(g.c, g.o, g.size)
				if skip {
					flops /= 2
				}
				b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}
