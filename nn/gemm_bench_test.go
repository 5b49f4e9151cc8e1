package nn

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// gemmBenchShapes are the conv-as-GEMM shapes of the CIFAR trunk (im2col
// rows × patch size × output channels) plus a square reference.
var gemmBenchShapes = []struct{ m, k, n int }{
	{1024, 27, 16},
	{256, 144, 32},
	{64, 288, 64},
	{256, 256, 256},
}

// BenchmarkSgemm times every implementation in the build on each shape
// (C = A·B, no transposes, beta = 0) and reports GFLOP/s (2·m·n·k per call
// over wall time) and cpuGFLOP/s (over the process's CPU time, steadier
// when other jobs share the machine).
func BenchmarkSgemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	impls := append([]gemmImpl{{"Sgemm", Sgemm}}, gemmImpls...)
	for _, s := range gemmBenchShapes {
		a, bm, c := gemmRandSlice(rng, s.m*s.k), gemmRandSlice(rng, s.k*s.n), make([]float32, s.m*s.n)
		for _, impl := range impls {
			b.Run(fmt.Sprintf("%dx%dx%d/%s", s.m, s.k, s.n, impl.name), func(b *testing.B) {
				cpu0, _ := gemmProcessCPUSeconds()
				for b.Loop() {
					impl.fn(false, false, s.m, s.n, s.k, 1, a, s.k, bm, s.n, 0, c, s.n)
				}
				cpu1, ok := gemmProcessCPUSeconds()
				flops := 2 * float64(s.m) * float64(s.n) * float64(s.k) * float64(b.N)
				b.ReportMetric(flops/b.Elapsed().Seconds()/1e9, "GFLOP/s")
				if ok && cpu1 > cpu0 {
					b.ReportMetric(flops/(cpu1-cpu0)/1e9, "cpuGFLOP/s")
				}
			})
		}
	}
}
