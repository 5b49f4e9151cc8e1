package kernel

import (
	"math/rand/v2"
	"testing"
)

// TestGemmPackedA checks the pack-once path against gonum for every kernel
// family it can run on (nil: the Sgemm fallback), across tails and cache
// blocks (m > mc, k > gemmKC, n > gemmNC), and that one packing serves
// several products: each case packs A once and multiplies it by two B's.
func TestGemmPackedA(t *testing.T) {
	kerns := []struct {
		name string
		kern *Family
	}{{"fallback", nil}, {"scalar", &scalarKernel}, {"build", gemmPackedKernel}}
	cases := []gemmCase{
		{false, false, 5, 7, 3, 1, 0, 0},
		{true, false, 13, 9, 17, -0.5, 1, 2},
		{false, true, 64, 64, 288, 1, 1, 0},
		{true, false, 288, 64, 64, 1, 0, 1},
		{false, false, 101, 37, 300, 1, 0, 0},
		{true, true, 97, 41, 513, -1, 0.5, 2},
		{true, false, 70, 523, 33, 2, -1.5, 3},
		{false, false, 16, 1024, 27, 1, 1, 0},
	}
	saved := gemmPackedKernel
	defer func() { gemmPackedKernel = saved }()
	for _, k := range kerns {
		t.Run(k.name, func(t *testing.T) {
			gemmPackedKernel = k.kern
			rng := rand.New(rand.NewPCG(7, 8))
			for _, tc := range cases {
				var p PackedA
				var packedA []float32
				fn := func(transA, transB bool, m, n, kk int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
					p.Pack(transA, m, kk, a, lda)
					packedA = a
					p.Gemm(transB, n, alpha, b, ldb, beta, c, ldc)
				}
				checkGemm(t, k.name, fn, tc, rng)
				// A second product with the same packing and a fresh B and C.
				_, _, b, ldb, c, ldc := gemmOperands(tc, rng)
				want := append([]float32(nil), c...)
				p.Gemm(tc.transB, tc.n, tc.alpha, b, ldb, tc.beta, c, ldc)
				sgemmGonum(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, packedA, p.lda, b, ldb, tc.beta, want, ldc)
				for i := range c {
					if d := c[i] - want[i]; d > 1e-3 || d < -1e-3 || c[i] != c[i] {
						t.Fatalf("%s %v reuse: C[%d] = %g, gonum %g", k.name, tc, i, c[i], want[i])
					}
				}
			}
		})
	}
}
