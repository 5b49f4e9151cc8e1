package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// TestIm2colPackedMatchesIm2colThenPack checks the fused lowering against
// its definition, im2col followed by gemmPackB with a ones row appended, for
// every kernel family of the build and geometries whose panels lie inside
// one output row, span rows, cross the padding, or end in a narrow tail.
func TestIm2colPackedMatchesIm2colThenPack(t *testing.T) {
	kerns := []struct {
		name string
		kern *gemmKernel
	}{{"scalar", &scalarKernel}}
	if gemmPackedKernel != nil {
		kerns = append(kerns, struct {
			name string
			kern *gemmKernel
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
					oh, ow := convOut(g.h, g.k, g.s, g.p), convOut(g.w, g.k, g.s, g.p)
					q, r := oh*ow, g.c*g.k*g.k
					kd := r
					if ones {
						kd++
					}
					x := normals(rng, g.c*g.h*g.w)
					col := make([]float32, kd*q)
					im2col(x, g.c, g.h, g.w, g.k, g.s, g.p, col, q)
					if ones {
						Fill(col[r*q:], 1)
					}
					n := gemmPanelCols(kern, q) * kd
					want := normals(rng, n+3)
					got := append([]float32(nil), want...) // same garbage beyond and inside
					gemmPackB(want, kern, false, col, q, 0, 0, kd, q)
					im2colPacked(kern, x, g.c, g.h, g.w, g.k, g.s, g.p, ones, got, nil)
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
	for _, kern := range []*gemmKernel{&scalarKernel, &simdShapeKernel} {
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
var simdShapeKernel = gemmKernel{mr: 4, nr: 8, half: scalar4x4}
