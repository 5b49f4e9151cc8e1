//go:build amd64 && !noasm

package kernel

import "github.com/tessera-ssl/tessera/nn/kernel/internal/gonumgemm"

// On amd64, gonum's blas32 (assembly axpy/dot kernels) beats the portable
// 4×4 scalar kernel by 1.5–3× (BenchmarkSgemm), so it is the default when no
// SIMD kernel is available (builds without GOEXPERIMENT=simd, or CPUs without
// AVX2+FMA). With -tags noasm gonum is pure Go and the scalar kernel wins.
func init() { registerGemm("gonum", gonumgemm.Sgemm, 10) }
