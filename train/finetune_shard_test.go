package train

import (
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"
	"time"
)

// K replicas of a downstream run follow one worker's, in every mode,
// semi-supervised included (whose replicas pseudo-label their own share
// of the unlabeled images, and with Flex keep the same per-class counts).
func TestFinetuneDataParallelMatchesOneWorker(t *testing.T) {
	p := pretrained(t)
	data, pool := pipeLabeled(4, 7), pipeLabeled(6, 8).Images // 12 labeled: 5 per step leaves uneven shards
	cfgs := map[string]FinetuneConfig{}
	arms := []string{FineTune, LinearProbe, Scratch, SemiSupervised, "semi-flex"}
	for _, arm := range arms {
		mode := arm
		if arm == "semi-flex" {
			mode = SemiSupervised
		}
		c := pipeFinetune(mode)
		c.Batch, c.Epochs, c.EMA, c.Smoothing = 5, 4, 0.9, 0.1
		c.Semi.Ratio, c.Semi.Threshold, c.Semi.Flex = 2, 0.4, arm == "semi-flex"
		cfgs[arm] = c
	}
	build := func(mode string) *Finetuner {
		f, err := NewFinetuner(cfgs[mode], p.Model.Trunk, pipeTrunk(), data, pool)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	for _, mode := range arms {
		one := build(mode)
		for one.Step() {
		}
		want := slices.Clone(one.meter.losses)
		for _, k := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/K=%d", mode, k), func(t *testing.T) {
				g := NewLocalGroup(k)
				fs := make([]*Finetuner, k)
				for i := range fs {
					fs[i] = build(mode)
					fs[i].Shard(i, k, g.Member(i))
				}
				var wg sync.WaitGroup
				done := make(chan struct{})
				for _, f := range fs {
					wg.Go(func() {
						for f.Step() {
						}
					})
				}
				go func() { wg.Wait(); close(done) }()
				select {
				case <-done:
				case <-time.After(time.Minute):
					t.Fatal("replicas still stepping after a minute: a hang")
				}
				for i, f := range fs {
					if f.Err() != nil || f.StepsDone() != one.Steps() {
						t.Fatalf("replica %d: %d steps, error %v", i, f.StepsDone(), f.Err())
					}
				}
				got := fs[0].meter.losses
				for s := range want {
					if e := math.Abs(got[s]-want[s]) / math.Abs(want[s]); !(e <= shardLossTol) {
						t.Errorf("step %d: loss %v, one worker %v (relative difference %.2g)", s+1, got[s], want[s], e)
					}
				}
				if e := tensorsError(fs[0].Classifier(), one.Classifier()); !(e <= shardWeightTol) {
					t.Errorf("final weights differ from one worker's by %.2g > %g", e, shardWeightTol)
				}
				if one.semi != nil {
					if a, b := fs[0].Progress().PseudoLabeled, one.Progress().PseudoLabeled; a != b || a == 0 {
						t.Errorf("pseudo-labelled fraction %g, one worker %g (want equal and > 0)", a, b)
					}
					for i, f := range fs {
						if !slices.Equal(f.semi.kept, one.semi.kept) || !slices.Equal(f.semi.sigma, one.semi.sigma) {
							t.Errorf("replica %d: Flex counts σ %v, one worker %v", i, f.semi.sigma, one.semi.sigma)
						}
					}
				}
				for i, f := range fs[1:] {
					if name := sameTensors(t, snapshotTensors(fs[0].Model.Tensors()), f.Model.Tensors()); name != "" {
						t.Errorf("replica %d differs from replica 0 at %s", i+1, name)
					}
				}
			})
		}
	}
}
