package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

func TestMaxPool2D(t *testing.T) {
	for _, g := range []struct{ n, c, h, w, k, s int }{
		{2, 3, 4, 4, 2, 2},
		{1, 2, 5, 7, 2, 2}, // odd sizes: the last row and column are dropped
		{2, 1, 7, 6, 3, 2},
		{1, 2, 5, 5, 3, 1}, // overlapping windows
		{1, 1, 2, 3, 2, 2},
		{1, 2, 6, 6, 2, 3}, // gaps between windows
	} {
		t.Run(fmt.Sprintf("%dx%d_k%d_s%d", g.h, g.w, g.k, g.s), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			l := nn.NewMaxPool2D(g.k, g.s)
			x := nntest.KinkFree(rng, 0.05, g.n, g.c, g.h, g.w)
			y := l.Forward(x, true)
			oh, ow := (g.h-g.k)/g.s+1, (g.w-g.k)/g.s+1 // floor, as PyTorch
			if fmt.Sprint(y.Shape) != fmt.Sprint([]int{g.n, g.c, oh, ow}) {
				t.Fatalf("shape %v, want [%d %d %d %d]", y.Shape, g.n, g.c, oh, ow)
			}
			for p := range g.n * g.c {
				for oy := range oh {
					for ox := range ow {
						want := float32(math.Inf(-1))
						for i := range g.k {
							for j := range g.k {
								want = max(want, x.Data[(p*g.h+oy*g.s+i)*g.w+ox*g.s+j])
							}
						}
						if got := y.Data[(p*oh+oy)*ow+ox]; got != want {
							t.Fatalf("y[%d, %d, %d] = %v, want %v", p, oy, ox, got, want)
						}
					}
				}
			}
			nntest.CheckLayer(t, l, x, true, nntest.Options{})
			assertSteadyStateNoAllocs(t, l, x, true)
		})
	}
}

func TestGlobalAvgPool(t *testing.T) {
	for _, shape := range [][]int{{2, 3, 4, 5}, {1, 2, 1, 1}, {3, 1, 7, 3}} {
		rng := rand.New(rand.NewPCG(3, 4))
		l := nn.NewGlobalAvgPool()
		x := nntest.Random(rng, shape...)
		y := l.Forward(x, true)
		hw := shape[2] * shape[3]
		if fmt.Sprint(y.Shape) != fmt.Sprint(shape[:2]) {
			t.Fatalf("shape %v, want %v", y.Shape, shape[:2])
		}
		for p := range shape[0] * shape[1] {
			var want float64
			for _, v := range x.Data[p*hw : (p+1)*hw] {
				want += float64(v)
			}
			want /= float64(hw)
			if math.Abs(float64(y.Data[p])-want) > 1e-6 {
				t.Fatalf("%v: y[%d] = %v, want %v", shape, p, y.Data[p], want)
			}
		}
		nntest.CheckLayer(t, l, x, true, nntest.Options{})
		assertSteadyStateNoAllocs(t, l, x, true)
	}
}

// BenchmarkMaxPool pools the reference net's first stage: (32, 16, 32, 32), 2×2.
func BenchmarkMaxPool(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	l := nn.NewMaxPool2D(2, 2)
	x := nntest.Random(rng, 32, 16, 32, 32)
	dy := nntest.Random(rng, 32, 16, 16, 16)
	b.Run("Forward", func(b *testing.B) {
		b.SetBytes(int64(4 * len(x.Data)))
		for b.Loop() {
			l.Forward(x, true)
		}
	})
	b.Run("Backward", func(b *testing.B) {
		b.SetBytes(int64(4 * len(x.Data)))
		for b.Loop() {
			l.Backward(dy)
		}
	})
}
