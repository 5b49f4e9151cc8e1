package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestIm2colPackedMatchesIm2colThenPack checks the fused lowering against
// its definition, Im2col followed by gemmPackB with a ones row appended, for
// every kernel family of the build and geometries whose panels lie inside
// one output row, span rows, cross the padding, or end in a narrow tail.
func TestIm2colPackedMatchesIm2colThenPack(t *testing.T) {
	kerns := []struct {
		name string
		kern *Family
	}{{"scalar", &scalarKernel}}
	if gemmPackedKernel != nil {
		kerns = append(kerns, struct {
			name string
			kern *Family
		}{"build", gemmPackedKernel})
	}
	geoms := append([]struct{ c, h, w, k, s, p int }{
		{3, 32, 32, 3, 1, 1}, // the reference net's conv1
		{2, 16, 16, 3, 1, 1},
		{2, 8, 8, 3, 1, 1},
		{1, 4, 4, 3, 1, 1},
		{2, 5, 12, 3, 1, 1}, // panels span output rows
		{1, 7, 9, 3, 1, 1},  // a narrow last panel
		{2, 9, 20, 5, 1, 2},
		{1, 10, 10, 3, 2, 1},
		{1, 6, 17, 3, 1, 0},
		{2, 9, 16, 5, 1, 2}, // 5×5 "same", 8-pixel panels
		{2, 8, 8, 1, 1, 0},  // 1×1
		{1, 5, 10, 3, 1, 0}, // valid 3×3, OW = 8
	}, im2colGeometries...)
	for _, kc := range kerns {
		for _, g := range geoms {
			for _, ones := range []bool{false, true} {
				name := fmt.Sprintf("%s/c%d_%dx%d_k%d_s%d_p%d/ones=%v", kc.name, g.c, g.h, g.w, g.k, g.s, g.p, ones)
				t.Run(name, func(t *testing.T) {
					rng := rand.New(rand.NewPCG(3, 4))
					kern := kc.kern
					oh, ow := ConvOut(g.h, g.k, g.s, g.p), ConvOut(g.w, g.k, g.s, g.p)
					q, r := oh*ow, g.c*g.k*g.k
					kd := r
					if ones {
						kd++
					}
					x := normals(rng, g.c*g.h*g.w)
					col := make([]float32, kd*q)
					Im2col(x, g.c, g.h, g.w, g.k, g.s, g.p, col, q)
					if ones {
						for i := range q {
							col[r*q+i] = 1 // the ones row
						}
					}
					n := gemmPanelCols(kern, q) * kd
					want := normals(rng, n+3)
					got := append([]float32(nil), want...) // same garbage beyond and inside
					gemmPackB(want, kern, false, col, q, 0, 0, kd, q)
					Im2colPacked(kern, x, nil, g.c, g.h, g.w, g.k, g.s, g.p, ones, got, nil)
					for i := range got {
						if got[i] != want[i] {
							t.Fatalf("packed[%d] = %g, want %g (len %d)", i, got[i], want[i], n)
						}
					}
				})
			}
		}
	}
}

// TestGemmPanelCols checks the packed width against gemmPackB's panel walk.
func TestGemmPanelCols(t *testing.T) {
	for _, kern := range []*Family{&scalarKernel, &simdShapeKernel} {
		for n := 1; n <= 40; n++ {
			end := 0
			for j := 0; j < n; j += kern.nr {
				end = j + gemmPanelWidth(kern, j, n)
			}
			if got := gemmPanelCols(kern, n); got != end {
				t.Errorf("nr=%d n=%d: gemmPanelCols = %d, want %d", kern.nr, n, got, end)
			}
		}
	}
}

// simdShapeKernel has the wasm family's tile shape (4×8 with a 4-wide half
// kernel) for shape-only tests; its kernels are never called.
var simdShapeKernel = Family{mr: 4, nr: 8, half: scalar4x4}

// TestIm2colPackedTMatchesIm2colThenPack checks the fused weight-gradient
// lowering against Im2col followed by gemmPackB's transposed packing, for
// every k block of pixels (blocks start mid-row), tap panels with narrow
// tails, and both kernel families of the build.
func TestIm2colPackedTMatchesIm2colThenPack(t *testing.T) {
	kerns := []*Family{&scalarKernel}
	if gemmPackedKernel != nil {
		kerns = append(kerns, gemmPackedKernel)
	}
	for _, kern := range kerns {
		for _, g := range []struct{ c, h, w, k, p, kc int }{
			{3, 32, 32, 3, 1, 256}, // the reference net's conv1
			{16, 16, 16, 3, 1, 256},
			{32, 8, 8, 3, 1, 64},
			{2, 7, 9, 3, 1, 10}, // blocks start mid-row, R = 18: a narrow tap panel
			{1, 6, 5, 5, 2, 7},
			{3, 5, 6, 3, 0, 4}, // valid convolution
			{1, 4, 4, 1, 0, 3},
		} {
			t.Run(fmt.Sprintf("nr%d/c%d_%dx%d_k%d_p%d_kc%d", kern.nr, g.c, g.h, g.w, g.k, g.p, g.kc), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(9, 10))
				oh, ow := ConvOut(g.h, g.k, 1, g.p), ConvOut(g.w, g.k, 1, g.p)
				q, r := oh*ow, g.c*g.k*g.k
				x := normals(rng, g.c*g.h*g.w)
				col := make([]float32, r*q)
				Im2col(x, g.c, g.h, g.w, g.k, 1, g.p, col, q)
				xp := PadImage(nil, x, g.c, g.h, g.w, g.p)
				hp, wp := g.h+2*g.p, g.w+2*g.p
				offs := TapOffsets(nil, g.c, g.k, hp, wp)
				n := gemmPanelCols(kern, r)
				for pc := 0; pc < q; pc += g.kc {
					kb := min(g.kc, q-pc)
					want := normals(rng, n*kb+2)
					got := append([]float32(nil), want...)
					gemmPackB(want, kern, true, col, q, pc, 0, kb, r)
					Im2colPackedT(kern, xp, wp, ow, offs, pc, kb, got)
					for i := range got {
						if got[i] != want[i] {
							t.Fatalf("block %d: packed[%d] = %g, want %g", pc, i, got[i], want[i])
						}
					}
				}
			})
		}
	}
}

// TestGatherTaps8 checks the build's gatherTaps8 against its definition for
// runs with and without a tail of fewer than four pixels.
func TestGatherTaps8(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	xp := normals(rng, 220)
	o := [8]int{0, 1, 2, 40, 41, 42, 100, 173}
	for _, n := range []int{1, 3, 4, 5, 8, 11, 16} {
		for _, b := range []int{0, 3, 22} {
			d := normals(rng, 8*n)
			gatherTaps8(d, xp, b, &o, n)
			for p := range n {
				for u := range 8 {
					if want := xp[b+o[u]+p]; d[p*8+u] != want {
						t.Fatalf("n=%d b=%d: d[%d·8+%d] = %g, want %g", n, b, p, u, d[p*8+u], want)
					}
				}
			}
		}
	}
}

// TestPackRows4 checks the build's packRows4 against gemmPackA's layout,
// with and without a column tail.
func TestPackRows4(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, kb := range []int{1, 3, 4, 7, 16, 33} {
		const lda = 40
		a := normals(rng, 3*lda+kb)
		got, want := normals(rng, 4*kb), make([]float32, 4*kb)
		packRows4(got, a, lda, kb)
		gemmPackA(want, 4, false, a, lda, 0, 0, 4, kb)
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("kb=%d: packed[%d] = %g, want %g", kb, i, got[i], want[i])
			}
		}
	}
}
