//go:build goexperiment.simd && amd64

package nn

import "simd/archsimd"

// avxKernel is the AVX2+FMA micro-kernel: 6×16 tiles in twelve Float32x8
// accumulators (amd64 has 16 ymm registers), with a 6×8 kernel for column
// tails of at most eight. The kernels are generated into
// gemm_simd_amd64_kernels.go by gemm_gen.go.
var avxKernel = gemmKernel{mr: 6, nr: 16, full: avx6x16, half: avx6x8}

func init() {
	if archsimd.X86.AVX2() && archsimd.X86.FMA() {
		registerGemm("avx2", sgemmAVX2, 20)
	}
}

// sgemmAVX2 is Sgemm on AVX2 with fused multiply-add (Float32x8).
func sgemmAVX2(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmBlocked(&avxKernel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
