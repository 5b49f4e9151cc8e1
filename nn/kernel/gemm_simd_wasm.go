//go:build goexperiment.simd && wasm

package kernel

// simd128Kernel is the WebAssembly SIMD micro-kernel: 4×8 tiles in eight
// Float32x4 accumulators (wasm has 16 v128 registers; wider tiles spill),
// a 4×4 kernel for column tails of at most four and 3/2/1×8 kernels for row
// tails. MulAdd is emulated on wasm (Mul then Add), so the kernels spell Mul
// and Add out. The kernels are generated into gemm_simd_wasm_kernels.go by
// gemm_gen.go.
var simd128Kernel = Family{
	mr: 4, nr: 8, full: simd4x8, half: simd4x4,
	rowTail: []gemmMicroKernel{1: simd1x8, 2: simd2x8, 3: simd3x8},
	direct: &gemmDirect{
		full: simd4x8d, half: simd4x4d,
		rowTail: []gemmDirectKernel{1: simd1x8d, 2: simd2x8d, 3: simd3x8d},
	},
}

func init() {
	registerGemm("simd128", sgemmSIMD128, 30)
	gemmPackedKernel = &simd128Kernel
}

// sgemmSIMD128 is Sgemm on WebAssembly SIMD (Float32x4).
func sgemmSIMD128(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmBlocked(&simd128Kernel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}
