// Package gonumgemm is Sgemm (kernel.Sgemm's signature) through gonum's
// blas32: the reference the kernel tests compare against, and on amd64
// (assembly axpy and dot) the native default when no SIMD kernel runs.
// Only those two import it, so gonum stays out of builds that use neither
// (the WebAssembly binary).
package gonumgemm

import (
	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
)

// Sgemm computes C = alpha·op(A)·op(B) + beta·C for row-major matrices with
// blas32.Gemm; the arguments are those of kernel.Sgemm (op(A) m×k, op(B)
// k×n, C m×n, rows lda, ldb, ldc apart).
func Sgemm(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	ta, tb := blas.NoTrans, blas.NoTrans
	ar, ac := m, k
	if transA {
		ta, ar, ac = blas.Trans, k, m
	}
	br, bc := k, n
	if transB {
		tb, br, bc = blas.Trans, n, k
	}
	blas32.Gemm(ta, tb, alpha,
		blas32.General{Rows: ar, Cols: ac, Stride: lda, Data: a},
		blas32.General{Rows: br, Cols: bc, Stride: ldb, Data: b},
		beta, blas32.General{Rows: m, Cols: n, Stride: ldc, Data: c})
}
