package train

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// Tolerances of data-parallel runs against one worker, over shardSteps
// steps of the tiny test trunk. The replicas sum in another order and batch
// norm gets σ² from Σx² − m·μ², so they differ from one worker by float
// rounding, which training then carries along. Measured (native, amd64):
// worst per-step loss difference 3.3e-8 relative, worst final weight
// difference 9.2e-8 relative to (1 + |w|). Without synchronized batch norm
// the first step's loss is already 2.7e-4 to 5e-3 off.
const (
	shardLossTol   = 1e-6
	shardWeightTol = 1e-5
	shardSteps     = 10
)

// shardConfig is a tiny run of a task with 5 images per step, so that 2 and
// 3 replicas get uneven shards.
func shardConfig(task string) PretrainConfig {
	c := pipePretrain(task)
	per := 1
	if task == "rotation" {
		per = 4
	}
	c.Batch = 5 * per
	c.Samples = shardSteps * c.Batch
	c.Rebalance = 0.5 // colorization weighs its classes (the loss normaliser is not a count)
	return c
}

// stepLosses is the loss of every step so far (the meter holds them while
// there are fewer than its window).
func stepLosses(p *Pretrainer) []float64 { return slices.Clone(p.meter.losses) }

// replicas builds k pretrainers of one run, sharded over a LocalGroup.
func replicas(t *testing.T, cfg PretrainConfig, pool []*pretext.Image, k int) ([]*Pretrainer, *LocalGroup) {
	t.Helper()
	g := NewLocalGroup(k)
	ps := make([]*Pretrainer, k)
	for i := range ps {
		p, err := NewPretrainer(cfg, pool)
		if err != nil {
			t.Fatal(err)
		}
		p.Shard(i, k, g.Member(i))
		ps[i] = p
	}
	return ps, g
}

// stepAll steps every replica in its own goroutine, at most n steps or
// until Step returns false, and fails the test if that takes over a minute
// (a hang). It returns how many steps each took.
func stepAll(t *testing.T, ps []*Pretrainer, n int) []int {
	t.Helper()
	steps := make([]int, len(ps))
	done := make(chan struct{})
	go func() {
		var wg sync.WaitGroup
		for i, p := range ps {
			wg.Go(func() {
				for steps[i] < n && p.Step() {
					steps[i]++
				}
			})
		}
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("replicas still stepping after a minute: a hang")
	}
	return steps
}

// weightError is the worst |a − b| / (1 + |b|) over two flat vectors.
func weightError(a, b []float32) float64 {
	worst := 0.0
	for i := range b {
		worst = max(worst, math.Abs(float64(a[i])-float64(b[i]))/(1+math.Abs(float64(b[i]))))
	}
	return worst
}

// tensorsError is weightError over every parameter and buffer of two models.
func tensorsError(a, b *nn.Model) float64 {
	ta, tb := a.Tensors(), b.Tensors()
	worst := 0.0
	for i := range tb {
		worst = max(worst, weightError(ta[i].Data, tb[i].Data))
	}
	return worst
}

func TestPretrainDataParallelMatchesOneWorker(t *testing.T) {
	pool := pipePool(12, 5)
	var worstLoss, worstWeight float64
	for _, task := range pretext.Names() {
		cfg := shardConfig(task)
		one, err := NewPretrainer(cfg, pool)
		if err != nil {
			t.Fatal(err)
		}
		for one.Step() {
		}
		want := stepLosses(one)
		for _, k := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/K=%d", task, k), func(t *testing.T) {
				ps, _ := replicas(t, cfg, pool, k)
				if steps := stepAll(t, ps, math.MaxInt); !slices.Equal(steps, slices.Repeat([]int{one.Steps()}, k)) {
					t.Fatalf("replicas took %v steps, want %d each", steps, one.Steps())
				}
				got := stepLosses(ps[0])
				if len(got) != len(want) {
					t.Fatalf("%d losses, one worker %d", len(got), len(want))
				}
				for s := range want {
					e := math.Abs(got[s]-want[s]) / math.Abs(want[s])
					worstLoss = max(worstLoss, e)
					if !(e <= shardLossTol) {
						t.Errorf("step %d: loss %v, one worker %v (relative difference %.2g > %g)", s+1, got[s], want[s], e, shardLossTol)
					}
				}
				e := tensorsError(ps[0].Model, one.Model)
				worstWeight = max(worstWeight, e)
				if !(e <= shardWeightTol) {
					t.Errorf("final weights differ from one worker's by %.2g > %g", e, shardWeightTol)
				}
				for i, p := range ps[1:] {
					if name := sameTensors(t, snapshotTensors(ps[0].Model.Tensors()), p.Model.Tensors()); name != "" {
						t.Errorf("replica %d differs from replica 0 at %s", i+1, name)
					}
					if !slices.Equal(stepLosses(p), got) {
						t.Errorf("replica %d reports other losses than replica 0", i+1)
					}
				}
				if pr := ps[0].Progress(); pr.Step != one.Steps() || pr.Samples != one.Progress().Samples {
					t.Errorf("progress %+v, one worker %+v", pr, one.Progress())
				}
			})
		}
	}
	t.Logf("worst loss difference %.2g (tolerance %g), worst weight difference %.2g (tolerance %g)",
		worstLoss, shardLossTol, worstWeight, shardWeightTol)
}
