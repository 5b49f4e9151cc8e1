package kernel

import "slices"

// Sgemm computes C = alpha * op(A) * op(B) + beta * C for row-major matrices,
// where op(X) is X, or Xᵀ when the matching trans flag is set.
// op(A) is m×k, op(B) is k×n, C is m×n; lda, ldb, ldc are the row strides
// (A is stored m×k, or k×m when transA; B is k×n, or n×k when transB).
//
// When beta == 0, C is overwritten and its old contents (even NaN) are never
// read. When k == 0 or alpha == 0, C is only scaled by beta.
//
// Sgemm runs the fastest kernel of the build: WebAssembly SIMD (Float32x4,
// GOEXPERIMENT=simd on wasm), AVX2+FMA (GOEXPERIMENT=simd on amd64 with the
// CPU features), gonum's blas32 on other amd64 builds (its assembly beats
// portable Go there), else the portable register-blocked scalar kernel.
// All but gonum are the cache-blocked, packed driver of gemm_blocked.go.
// Calls may run concurrently as long as they do not write the same C.
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmCheckArgs(transA, transB, m, n, k, a, lda, b, ldb, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if k == 0 || alpha == 0 {
		gemmScaleC(m, n, beta, c, ldc)
		return
	}
	sgemmBest(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemmFunc is the signature shared by every GEMM implementation. Callers
// have checked the arguments, and m, n, k > 0, alpha != 0.
type sgemmFunc func(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int)

// gemmImpl names one implementation, for tests and benchmarks.
type gemmImpl struct {
	name string
	fn   sgemmFunc
}

// gemmImpls lists every implementation compiled into this build, in
// registration order; sgemmBest is the one registered with the highest rank.
// gonum's is registered on amd64 (gemm_default_amd64.go) and, as the
// reference, by the tests.
var (
	gemmImpls           = []gemmImpl{{"scalar", sgemmScalar}}
	sgemmBest sgemmFunc = sgemmScalar
	bestRank            = 0
)

// registerGemm adds an implementation (once per name); build-specific files
// call it from init. The highest rank becomes the default behind Sgemm.
func registerGemm(name string, fn sgemmFunc, rank int) {
	if !slices.ContainsFunc(gemmImpls, func(g gemmImpl) bool { return g.name == name }) {
		gemmImpls = append(gemmImpls, gemmImpl{name, fn})
	}
	if rank > bestRank {
		sgemmBest, bestRank = fn, rank
	}
}

// gemmCheckArgs panics when the shapes do not fit the slices (programmer error).
func gemmCheckArgs(transA, transB bool, m, n, k int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic("kernel: Sgemm negative dimension")
	}
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	br, bc := k, n
	if transB {
		br, bc = n, k
	}
	gemmCheckMatrix("A", ar, ac, a, lda)
	gemmCheckMatrix("B", br, bc, b, ldb)
	gemmCheckMatrix("C", m, n, c, ldc)
}

func gemmCheckMatrix(name string, rows, cols int, x []float32, ld int) {
	if ld < max(1, cols) {
		panic("kernel: Sgemm bad stride for " + name)
	}
	if rows > 0 && cols > 0 && len(x) < (rows-1)*ld+cols {
		panic("kernel: Sgemm slice too short for " + name)
	}
}

// gemmScaleC sets C = beta * C; beta == 0 writes zeros without reading C.
func gemmScaleC(m, n int, beta float32, c []float32, ldc int) {
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		switch beta {
		case 0:
			clear(row)
		case 1:
		default:
			for j := range row {
				row[j] *= beta
			}
		}
	}
}
