package train

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/tessera-ssl/tessera/pretext"
)

// BenchmarkPretrainStepDataParallel measures one rotation step (default
// trunk, 32×32 images, batch 64 = 16 images × 4 turns) taken by K goroutine
// replicas over a LocalGroup; K=1 is the ordinary single-worker step.
// samples/s counts the whole batch, so it compares across K directly.
func BenchmarkPretrainStepDataParallel(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	pool := make([]*pretext.Image, 256)
	for i := range pool {
		pool[i] = pipeScene(rng, 32)
	}
	cfg := DefaultPretrain("rotation", 32)
	cfg.Samples = 1 << 30
	for _, k := range []int{1, 2} {
		b.Run(fmt.Sprintf("K=%d", k), func(b *testing.B) {
			g := NewLocalGroup(k)
			ps := make([]*Pretrainer, k)
			for i := range ps {
				p, err := NewPretrainer(cfg, pool)
				if err != nil {
					b.Fatal(err)
				}
				if k > 1 {
					p.Shard(i, k, g.Member(i))
				}
				ps[i] = p
			}
			steps := func(n int) {
				var wg sync.WaitGroup
				for _, p := range ps {
					wg.Go(func() {
						for range n {
							if !p.Step() {
								b.Error(p.Err())
								return
							}
						}
					})
				}
				wg.Wait()
			}
			steps(1) // allocate
			b.ResetTimer()
			steps(b.N)
			b.ReportMetric(float64(b.N*ps[0].images*ps[0].Task.SamplesPerImage())/b.Elapsed().Seconds(), "samples/s")
		})
	}
}
