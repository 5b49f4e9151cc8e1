package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

var im2colGeometries = []struct{ c, h, w, k, s, p int }{
	{3, 5, 5, 3, 1, 1},
	{2, 7, 4, 3, 2, 1},
	{1, 6, 7, 3, 1, 0},
	{2, 4, 5, 1, 1, 0},
	{1, 9, 8, 5, 2, 2},
	{2, 3, 3, 3, 3, 2},
	{1, 4, 3, 3, 1, 2},
	{1, 2, 2, 3, 1, 1},
	{1, 6, 5, 5, 1, 2}, // "same" 5×5
	{2, 3, 1, 3, 1, 1}, // one column: every side tap wraps
	{1, 1, 4, 3, 1, 1}, // one row
	{3, 8, 8, 3, 1, 1}, // the reference net's case
	{1, 1, 1, 7, 2, 3}, // taps whose whole column range is padding
	{1, 1, 1, 6, 1, 3}, // the same at stride 1 (an even kernel: not "same")
	{2, 2, 3, 5, 3, 3},
}

func normals(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = float32(rng.NormFloat64())
	}
	return s
}

// Im2col must match its definition entry by entry, also when the image's
// columns sit at an offset inside a wider matrix; Col2im must be its adjoint:
// ⟨Im2col(x), g⟩ = ⟨x, Col2im(g)⟩ for all x, g.
func TestIm2colMatchesDefinitionAndCol2imIsAdjoint(t *testing.T) {
	for _, g := range im2colGeometries {
		t.Run(fmt.Sprintf("c%d_%dx%d_k%d_s%d_p%d", g.c, g.h, g.w, g.k, g.s, g.p), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 1))
			oh, ow := ConvOut(g.h, g.k, g.s, g.p), ConvOut(g.w, g.k, g.s, g.p)
			q, rows := oh*ow, g.c*g.k*g.k
			const off, extra = 3, 5 // columns before and after this image's block
			ld := off + q + extra
			x := normals(rng, g.c*g.h*g.w)
			col := normals(rng, rows*ld) // garbage that Im2col must overwrite
			sentinel := append([]float32(nil), col...)
			Im2col(x, g.c, g.h, g.w, g.k, g.s, g.p, col[off:], ld)
			for r := range rows {
				ci, i, j := r/(g.k*g.k), r/g.k%g.k, r%g.k
				for oy := range oh {
					for ox := range ow {
						iy, ix := oy*g.s-g.p+i, ox*g.s-g.p+j
						var want float32
						if iy >= 0 && iy < g.h && ix >= 0 && ix < g.w {
							want = x[(ci*g.h+iy)*g.w+ix]
						}
						if got := col[r*ld+off+oy*ow+ox]; got != want {
							t.Fatalf("col[%d, %d] = %v, want %v", r, oy*ow+ox, got, want)
						}
					}
				}
				for cc := range ld {
					if (cc < off || cc >= off+q) && col[r*ld+cc] != sentinel[r*ld+cc] {
						t.Fatalf("Im2col wrote outside its block at row %d column %d", r, cc)
					}
				}
			}

			gcol := normals(rng, rows*ld)
			dx := make([]float32, len(x))
			Col2im(gcol[off:], g.c, g.h, g.w, g.k, g.s, g.p, dx, ld)
			var lhs, rhs float64
			for r := range rows {
				for cc := range q {
					lhs += float64(col[r*ld+off+cc]) * float64(gcol[r*ld+off+cc])
				}
			}
			for i := range x {
				rhs += float64(x[i]) * float64(dx[i])
			}
			if math.Abs(lhs-rhs) > 1e-4*(1+math.Abs(lhs)) {
				t.Fatalf("⟨Im2col(x), g⟩ = %v but ⟨x, Col2im(g)⟩ = %v", lhs, rhs)
			}
		})
	}
}

// Every small geometry, including kernels larger than the image and padding
// larger than the kernel, against the definition.
func TestIm2colAllSmallGeometries(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	cases := 0
	for h := 1; h <= 5; h++ {
		for w := 1; w <= 5; w++ {
			for k := 1; k <= 7; k++ {
				for s := 1; s <= 3; s++ {
					for p := 0; p <= 4; p++ {
						oh, ow := ConvOut(h, k, s, p), ConvOut(w, k, s, p)
						if h+2*p < k || w+2*p < k {
							continue
						}
						cases++
						x := normals(rng, 2*h*w)
						col := normals(rng, 2*k*k*oh*ow)
						Im2col(x, 2, h, w, k, s, p, col, oh*ow)
						dx := make([]float32, len(x))
						Col2im(col, 2, h, w, k, s, p, dx, oh*ow)
						want := make([]float32, len(x)) // Col2im of the exact columns, by definition
						for r := range 2 * k * k {
							ci, i, j := r/(k*k), r/k%k, r%k
							for oy := range oh {
								for ox := range ow {
									iy, ix := oy*s-p+i, ox*s-p+j
									var v float32
									if iy >= 0 && iy < h && ix >= 0 && ix < w {
										v = x[(ci*h+iy)*w+ix]
										want[(ci*h+iy)*w+ix] += v
									}
									if got := col[r*oh*ow+oy*ow+ox]; got != v {
										t.Fatalf("%dx%d k%d s%d p%d: col[%d, %d] = %v, want %v", h, w, k, s, p, r, oy*ow+ox, got, v)
									}
								}
							}
						}
						for i := range want {
							if math.Abs(float64(dx[i]-want[i])) > 1e-5 {
								t.Fatalf("%dx%d k%d s%d p%d: Col2im[%d] = %v, want %v", h, w, k, s, p, i, dx[i], want[i])
							}
						}
					}
				}
			}
		}
	}
	if cases < 500 {
		t.Fatalf("only %d geometries checked", cases)
	}
}

func TestValidSpan(t *testing.T) {
	for n := 1; n < 6; n++ {
		for s := 1; s < 4; s++ {
			for off := -4; off < 4; off++ {
				for w := 1; w < 6; w++ {
					x0, x1 := validSpan(n, s, off, w)
					for o := range n {
						in := o*s+off >= 0 && o*s+off < w
						if in != (o >= x0 && o < x1) {
							t.Fatalf("validSpan(%d, %d, %d, %d) = [%d, %d), wrong at %d", n, s, off, w, x0, x1, o)
						}
					}
				}
			}
		}
	}
}

// BenchmarkIm2col lowers a batch of 32 images at the reference net's shapes
// (3×3, pad 1) and adds it back (Col2im).
func BenchmarkIm2col(b *testing.B) {
	for _, g := range []struct {
		name    string
		c, size int
	}{{"c3_32x32", 3, 32}, {"c16_16x16", 16, 16}, {"c32_8x8", 32, 8}} {
		const n = 32
		rng := rand.New(rand.NewPCG(1, 1))
		hw := g.size * g.size
		x := normals(rng, n*g.c*hw)
		ld := n * hw
		col := make([]float32, g.c*9*ld)
		b.Run("im2col_"+g.name, func(b *testing.B) {
			b.SetBytes(int64(4 * len(col)))
			for b.Loop() {
				for i := range n {
					Im2col(x[i*g.c*hw:], g.c, g.size, g.size, 3, 1, 1, col[i*hw:], ld)
				}
			}
		})
		b.Run("col2im_"+g.name, func(b *testing.B) {
			b.SetBytes(int64(4 * len(col)))
			for b.Loop() {
				clear(x)
				for i := range n {
					Col2im(col[i*hw:], g.c, g.size, g.size, 3, 1, 1, x[i*g.c*hw:], ld)
				}
			}
		})
	}
}
