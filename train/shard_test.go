package train

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// Tolerances of data-parallel runs against one worker, over shardSteps
// steps of the tiny test trunk. The replicas sum in another order and batch
// norm gets σ² from Σx² − m·μ², so they differ from one worker by float
// rounding, which training then carries along. Measured over the 4 tasks
// and K = 2, 3: worst per-step loss difference 3.3e-8 relative, worst final
// weight difference 9.2e-8 relative to (1 + |w|) (native amd64); 4.8e-8 and
// 1.1e-7 (wasm), 4.2e-8 and 7.7e-8 (wasm, GOEXPERIMENT=simd). Without
// synchronized batch norm the first step's loss is already 2.7e-4 to 5e-3 off.
const (
	shardLossTol   = 1e-6
	shardWeightTol = 1e-5
	shardSteps     = 10
)

// shardConfig is a tiny run of a task with 5 images per step, so that 2 and
// 3 replicas get uneven shards.
func shardConfig(task string) PretrainConfig {
	c := pipePretrain(task)
	t, err := NewTask(task, c.ImageSize, c.Trunk)
	if err != nil {
		panic(err)
	}
	c.Batch = 5 * t.SamplesPerImage()
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

// failAt is an Exchanger that breaks its group, with cause, at its call
// number at (counting from 0), as a worker dying mid-step would.
type failAt struct {
	Exchanger
	g     *LocalGroup
	at    int
	calls int
	cause error
}

func (f *failAt) Sum(v []float64) error {
	f.check()
	return f.Exchanger.Sum(v)
}

func (f *failAt) Sum32(v []float32) error {
	f.check()
	return f.Exchanger.Sum32(v)
}

func (f *failAt) check() {
	if f.calls == f.at {
		f.g.Break(f.cause)
	}
	f.calls++
}

// runState is everything a failed step must leave as it was.
type runState struct {
	tensors map[string][]float32 // parameters and batch-norm buffers
	optim   map[string][]float32
	step    int
	samples int
}

func stateOf(p *Pretrainer) runState {
	optim := make(map[string][]float32)
	for _, b := range p.opt.State() {
		optim[b.Name] = slices.Clone(b.Value)
	}
	return runState{snapshotTensors(p.Model.Tensors()), optim, p.StepsDone(), p.Progress().Samples}
}

// TestPretrainDataParallelWorkerFailure breaks a group of 3 at each kind of
// exchange in the middle of step 4: every replica's Step returns false with
// the cause in Err, nobody hangs, the state is that of before the step, and
// replica 0 then carries on (alone, or with replica 1 in a new group of 2)
// to the end, matching one worker's run.
func TestPretrainDataParallelWorkerFailure(t *testing.T) {
	pool := pipePool(12, 6)
	cfg := shardConfig("rotation")
	one, err := NewPretrainer(cfg, pool)
	if err != nil {
		t.Fatal(err)
	}
	for one.Step() {
	}
	bns := 0 // exchanges per step: a Sum per batch norm forward and backward, the loss, the gradients
	for _, l := range one.Model.Trunk.Layers {
		if _, ok := l.Layer.(*nn.BatchNorm2D); ok {
			bns++
		}
	}
	perStep := 2*bns + 2
	const failStep = 3 // steps 0, 1, 2 succeed
	for _, tc := range []struct {
		name    string
		call    int // exchange of the step at which the group breaks
		regroup int // replicas that carry on
	}{
		{"batch norm forward", 0, 1},
		{"last batch norm forward", bns - 1, 1},
		{"loss", bns, 2},
		{"batch norm backward", bns + 1, 1},
		{"gradients", 2*bns + 1, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const k = 3
			cause := errors.New("worker 2 lost")
			ps, g := replicas(t, cfg, pool, k)
			f := &failAt{Exchanger: g.Member(1), g: g, at: failStep*perStep + tc.call, cause: cause}
			ps[1].Shard(1, k, f)
			var before []runState
			if steps := stepAll(t, ps, failStep); !slices.Equal(steps, []int{failStep, failStep, failStep}) {
				t.Fatalf("took %v steps before the failure, want %d each", steps, failStep)
			}
			for _, p := range ps {
				before = append(before, stateOf(p))
			}
			if steps := stepAll(t, ps, 1); !slices.Equal(steps, []int{0, 0, 0}) {
				t.Fatalf("%v steps succeeded after the group broke", steps)
			}
			for i, p := range ps {
				err := p.Err()
				if !errors.Is(err, cause) || !strings.Contains(err.Error(), "exchanging with the other workers") ||
					!strings.Contains(err.Error(), fmt.Sprintf("step %d", failStep+1)) {
					t.Errorf("replica %d: Err() = %v", i, err)
				}
				after := stateOf(p)
				if name := sameTensors(t, before[i].tensors, p.Model.Tensors()); name != "" {
					t.Errorf("replica %d: the failed step changed %s", i, name)
				}
				for name, v := range before[i].optim {
					if !slices.Equal(v, after.optim[name]) {
						t.Errorf("replica %d: the failed step changed optimizer state %s", i, name)
					}
				}
				if after.step != before[i].step || after.samples != before[i].samples {
					t.Errorf("replica %d: step %d, %d samples after the failure; before %d, %d", i, after.step, after.samples, before[i].step, before[i].samples)
				}
				if p.Step() {
					t.Errorf("replica %d: Step succeeded on a broken group", i)
				}
			}
			// Carry on: the failed step is retried whole.
			rest := ps[:tc.regroup]
			g = NewLocalGroup(tc.regroup)
			for i, p := range rest {
				if tc.regroup == 1 {
					p.Shard(0, 1, nil)
				} else {
					p.Shard(i, tc.regroup, g.Member(i))
				}
				if p.Err() != nil {
					t.Errorf("Err() = %v after Shard", p.Err())
				}
			}
			stepAll(t, rest, math.MaxInt)
			p := ps[0]
			if tc.regroup > 1 {
				if name := sameTensors(t, snapshotTensors(p.Model.Tensors()), ps[1].Model.Tensors()); name != "" {
					t.Errorf("the new group's replicas differ at %s", name)
				}
			}
			if p.StepsDone() != one.Steps() {
				t.Fatalf("carried on to step %d of %d", p.StepsDone(), one.Steps())
			}
			if e := tensorsError(p.Model, one.Model); !(e <= shardWeightTol) {
				t.Errorf("after the failure, final weights differ from one worker's by %.2g > %g", e, shardWeightTol)
			}
			got, want := stepLosses(p), stepLosses(one)
			for s := range want {
				if e := math.Abs(got[s]-want[s]) / math.Abs(want[s]); !(e <= shardLossTol) {
					t.Errorf("step %d: loss %v, one worker %v", s+1, got[s], want[s])
				}
			}
		})
	}
}

func TestPretrainShardPanicsOnBadArguments(t *testing.T) {
	p, err := NewPretrainer(shardConfig("jigsaw"), pipePool(6, 7)) // 5 images per step
	if err != nil {
		t.Fatal(err)
	}
	g := NewLocalGroup(2)
	for _, tc := range []struct {
		name         string
		index, count int
		ex           Exchanger
	}{
		{"negative index", -1, 2, g.Member(0)},
		{"index past count", 2, 2, g.Member(0)},
		{"no replicas", 0, 0, nil},
		{"several replicas without an exchanger", 0, 2, nil},
		{"more replicas than images", 0, 6, g.Member(0)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("Shard(%d, %d) did not panic", tc.index, tc.count)
				}
			}()
			p.Shard(tc.index, tc.count, tc.ex)
		})
	}
}

// TestPretrainDataParallelStepAllocatesNothing: once warm, a data-parallel
// step allocates no more than a single-worker step of the same batch. (The
// step itself allocates nothing; natively, gonum's GEMM allocates in its
// parallel path, so the single-worker step is the baseline; in WebAssembly
// both are 0.) One replica over a LocalGroup of one runs every exchange
// without a second goroutine, whose allocations AllocsPerRun would count.
func TestPretrainDataParallelStepAllocatesNothing(t *testing.T) {
	cfg := shardConfig("colorization")
	cfg.Samples = 100 * cfg.Batch
	pool := pipePool(64, 8) // 64 images: no new epoch order within the test
	single, err := NewPretrainer(cfg, pool)
	if err != nil {
		t.Fatal(err)
	}
	ps, _ := replicas(t, cfg, pool, 1)
	const runs = 5
	allocs := func(p *Pretrainer) float64 {
		p.meter.losses = make([]float64, 0, p.meter.window) // no growth of the meter's window
		p.meter.accs = make([]float64, 0, p.meter.window)
		p.Step()
		return testing.AllocsPerRun(runs, func() { p.Step() })
	}
	base, got := allocs(single), allocs(ps[0])
	t.Logf("allocations per step: %v data-parallel, %v single worker", got, base)
	if got > base {
		t.Errorf("a data-parallel step allocates %v times, a single-worker step %v", got, base)
	}
}
