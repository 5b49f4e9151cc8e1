package kernel

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn/internal/cputime"
)

// gemmBenchShapes are conv-as-GEMM shapes of the CIFAR trunk (im2col rows ×
// patch size × output channels) plus a square reference.
var gemmBenchShapes = []struct{ m, k, n int }{
	{1024, 27, 16},
	{256, 144, 32},
	{64, 288, 64},
	{256, 256, 256},
}

// BenchmarkSgemm times every implementation in the build on each shape
// (C = A·B, no transposes, beta = 0). Sub-benchmarks are named
// MxKxN/implementation; "Sgemm" is the build's default.
func BenchmarkSgemm(b *testing.B) {
	impls := append([]gemmImpl{{"Sgemm", Sgemm}}, gemmImpls...)
	for _, s := range gemmBenchShapes {
		for _, impl := range impls {
			b.Run(fmt.Sprintf("%dx%dx%d/%s", s.m, s.k, s.n, impl.name), func(b *testing.B) {
				benchGemm(b, impl.fn, false, false, s.m, s.n, s.k)
			})
		}
	}
}

// BenchmarkSgemmConv times the three calls a conv layer makes (nn/conv.go),
// with O output channels, K = C·kh·kw patch rows and Q output pixels:
// forward Y(O×Q) = W(O×K)·col(K×Q), weight gradient dW(O×K) += dY·colᵀ
// (transB) and input gradient dcol(K×Q) = Wᵀ·dY (transA); the default
// against gonum.
func BenchmarkSgemmConv(b *testing.B) {
	for _, s := range gemmBenchShapes[:3] {
		o, kk, q := s.n, s.k, s.m
		calls := []struct {
			name           string
			transA, transB bool
			m, n, k        int
		}{
			{"fwd", false, false, o, q, kk},
			{"dW", false, true, o, kk, q},
			{"dcol", true, false, kk, q, o},
		}
		for _, c := range calls {
			for _, impl := range []gemmImpl{{"Sgemm", Sgemm}, {"gonum", sgemmGonum}} {
				b.Run(fmt.Sprintf("O%dK%dQ%d/%s/%s", o, kk, q, c.name, impl.name), func(b *testing.B) {
					benchGemm(b, impl.fn, c.transA, c.transB, c.m, c.n, c.k)
				})
			}
		}
	}
}

// benchGemm runs C = op(A)·op(B) with packed (minimal) strides and reports
// GFLOP/s (2·m·n·k per call over wall time) and cpuGFLOP/s (over the
// process's CPU time, steadier when other jobs share the machine).
func benchGemm(b *testing.B, fn sgemmFunc, transA, transB bool, m, n, k int) {
	rng := rand.New(rand.NewPCG(1, 1))
	lda, ldb := k, n
	if transA {
		lda = m
	}
	if transB {
		ldb = k
	}
	a, bm, c := gemmRandSlice(rng, m*k), gemmRandSlice(rng, k*n), make([]float32, m*n)
	fn(transA, transB, m, n, k, 1, a, lda, bm, ldb, 0, c, n) // warm up buffers and JIT
	cpu0, _ := cputime.Process()
	for b.Loop() {
		fn(transA, transB, m, n, k, 1, a, lda, bm, ldb, 0, c, n)
	}
	cpu1, ok := cputime.Process()
	flops := 2 * float64(m) * float64(n) * float64(k) * float64(b.N)
	b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if ok && cpu1 > cpu0 {
		b.ReportMetric(flops/(cpu1-cpu0)/1e9, "cpuGFLOP/s")
	}
}
