package trainer

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// localReplicas is the fake Env's replica group: goroutines joined by a
// train.LocalGroup, as the browser's replica workers are joined by shared
// memory.
type localReplicas struct {
	g    *train.LocalGroup
	wg   sync.WaitGroup
	stop sync.Once

	mu      sync.Mutex
	failure error
}

// Replicas starts job.Workers−1 goroutine replicas; live counts the ones
// still running.
func (e *fakeEnv) Replicas(job ReplicaJob, pool []*pretext.Image) (ReplicaGroup, error) {
	if e.noReplicas {
		return nil, errors.New("no shared memory here")
	}
	r := &localReplicas{g: train.NewLocalGroup(job.Workers)}
	for i := 1; i < job.Workers; i++ {
		rj := job
		rj.Index = i
		r.wg.Add(1)
		e.live.Add(1)
		go func() {
			// live drops before Done, so a Stop that returned has seen it.
			defer r.wg.Done()
			defer e.live.Add(-1)
			if err := RunReplica(rj, pool, r.g.Member(i)); err != nil {
				r.fail(&ReplicaError{Index: i, Workers: job.Workers, Err: err})
			}
		}()
	}
	e.group.Store(r)
	return r, nil
}

func (r *localReplicas) fail(err error) {
	r.mu.Lock()
	if r.failure == nil {
		r.failure = err
	}
	r.mu.Unlock()
	r.g.Break(err)
}

func (r *localReplicas) Exchanger() train.Exchanger { return r.g.Member(0) }

func (r *localReplicas) Failure() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failure
}

func (r *localReplicas) Stop() {
	r.stop.Do(func() { r.g.Break(train.ErrStopped) })
	r.wg.Wait()
}

// pretrainOn runs a short rotation pretraining on the synthetic demo with
// the given workers and returns the final progress, the model's flat
// weights and every Error posted meanwhile. The messages first (test
// hooks) go to the session before m.
func pretrainOn(t *testing.T, env func(*fakeEnv), m protocol.StartPretrain, first ...protocol.Msg) (protocol.Progress, []float32, []string) {
	t.Helper()
	h := start(t, &memStore{})
	if env != nil {
		env(h.env)
	}
	h.send(&protocol.LoadDemo{})
	h.await("demo", kind(protocol.KindDataLoaded))
	for _, f := range first {
		h.send(f)
	}
	h.send(&m)
	var errs []string
	var last protocol.Progress
	for {
		m := h.await("the end of the run", func(m protocol.Msg) bool {
			p, ok := m.(*protocol.Progress)
			return m.Kind() == protocol.KindError || ok && (p.State == protocol.StateDone || p.State == protocol.StateStopped)
		})
		if e, ok := m.(*protocol.Error); ok {
			errs = append(errs, e.Message)
			continue
		}
		last = *m.(*protocol.Progress)
		break
	}
	if last.State != protocol.StateDone || last.Step != last.Steps {
		t.Fatalf("run ended %s at step %d of %d", last.State, last.Step, last.Steps)
	}
	return last, finalWeights(t, h), errs
}

// finalWeights downloads the session's model and returns its flat
// parameters, after checking that no replica goroutine outlived the run.
func finalWeights(t *testing.T, h *harness) []float32 {
	t.Helper()
	h.send(&protocol.SaveModel{})
	mod := h.await("model", kind(protocol.KindModel)).(*protocol.Model)
	model, _, err := train.LoadModel(mod.Name, mod.Data)
	if err != nil {
		t.Fatal(err)
	}
	if n := h.env.live.Load(); n != 0 {
		t.Errorf("%d replica goroutines still running after the run", n)
	}
	return nn.FlattenValues(nil, model.Params())
}

// Tolerances for K workers against one: the shards' gradients and batch
// statistics are summed in another order than one worker sums the whole
// batch, so float32 rounding differs (~1e-7 relative per step) and grows
// over the steps; the 12-step runs here differ by ~1e-8 in the loss and
// ~6e-8 in the weights, and a real difference (a wrong shard, a missing
// term) is orders of magnitude larger than these bounds.
const (
	lossTol   = 1e-5 // relative, on the final reported loss
	weightTol = 1e-5 // max |Δw| / max |w|
)

func maxRelDiff(a, b []float32) float64 {
	var d, m float64
	for i := range a {
		d = max(d, math.Abs(float64(a[i])-float64(b[i])))
		m = max(m, math.Abs(float64(a[i])))
	}
	return d / m
}

// K workers train the model one worker trains, up to float rounding.
func TestDataParallelMatchesOneWorker(t *testing.T) {
	run := protocol.StartPretrain{Task: "rotation", Samples: 12 * 32, Batch: 32, Seed: 7}
	one, w1, errs := pretrainOn(t, nil, run)
	if len(errs) > 0 || one.Workers != 1 {
		t.Fatalf("one worker: errors %q, workers %d", errs, one.Workers)
	}
	for _, k := range []int{2, 3} {
		t.Run(fmt.Sprintf("%d workers", k), func(t *testing.T) {
			m := run
			m.Workers = k
			got, wk, errs := pretrainOn(t, nil, m)
			if len(errs) > 0 {
				t.Fatalf("errors: %q", errs)
			}
			if got.Workers != k {
				t.Errorf("progress says %d workers, want %d", got.Workers, k)
			}
			dl := math.Abs(got.Loss-one.Loss) / one.Loss
			dw := maxRelDiff(w1, wk)
			t.Logf("final loss %.6f vs %.6f (rel %.2g); weights max rel diff %.2g", got.Loss, one.Loss, dl, dw)
			if dl > lossTol {
				t.Errorf("final loss %.6f, one worker %.6f: relative difference %.2g > %g", got.Loss, one.Loss, dl, lossTol)
			}
			if dw > weightTol {
				t.Errorf("weights differ from one worker's by %.2g (relative to the largest) > %g", dw, weightTol)
			}
		})
	}
}

// A replica that fails mid-run is reported by name; the run goes on, on
// one worker, to the end, with the model one worker would have trained.
func TestReplicaFailureContinues(t *testing.T) {
	run := protocol.StartPretrain{Task: "rotation", Samples: 12 * 32, Batch: 32, Seed: 7}
	_, w1, _ := pretrainOn(t, nil, run)
	run.Workers = 2
	last, w2, errs := pretrainOn(t, nil, run, &protocol.FailReplica{AtStep: 4})
	if len(errs) != 1 || !strings.Contains(errs[0], "worker 2 of 2 failed") ||
		!strings.Contains(errs[0], ErrFailHook.Error()) || !strings.Contains(errs[0], "continues on 1 worker") {
		t.Fatalf("errors %q, want one naming worker 2 of 2, the cause and that training goes on", errs)
	}
	if last.Workers != 1 {
		t.Errorf("final progress says %d workers, want 1", last.Workers)
	}
	if dw := maxRelDiff(w1, w2); dw > weightTol {
		t.Errorf("weights differ from one worker's by %.2g > %g", dw, weightTol)
	}
}

// Without replicas (no shared memory in the browser) the run says so and
// trains on one worker.
func TestNoReplicasFallsBack(t *testing.T) {
	run := protocol.StartPretrain{Task: "rotation", Samples: 4 * 32, Batch: 32, Seed: 7, Workers: 2}
	last, _, errs := pretrainOn(t, func(e *fakeEnv) { e.noReplicas = true }, run)
	if len(errs) != 1 || !strings.Contains(errs[0], "1 worker, not 2") {
		t.Errorf("errors %q, want a notice that one worker is used", errs)
	}
	if last.Workers != 1 {
		t.Errorf("progress says %d workers, want 1", last.Workers)
	}
}

// Stop, Reset and a new run end a multi-worker run cleanly: the replicas'
// goroutines all return (none is left blocked in an exchange), also while
// paused, when the replicas wait for the leader.
func TestStopMultiWorker(t *testing.T) {
	for _, end := range []struct {
		name  string
		pause bool
		msg   protocol.Msg
	}{
		{"stop", false, &protocol.Stop{}},
		{"stop while paused", true, &protocol.Stop{}},
		{"reset", false, &protocol.Reset{}},
		{"clear data", true, &protocol.ClearData{}},
	} {
		t.Run(end.name, func(t *testing.T) {
			h := start(t, &memStore{})
			h.send(&protocol.LoadDemo{})
			h.await("demo", kind(protocol.KindDataLoaded))
			h.send(&protocol.StartPretrain{Task: "rotation", Samples: 1_000_000, Batch: 32, Seed: 3, Workers: 2})
			h.await("some steps", func(m protocol.Msg) bool {
				p, ok := m.(*protocol.Progress)
				return ok && p.Step >= 2 && p.Workers == 2
			})
			if n := h.env.live.Load(); n != 1 {
				t.Fatalf("%d replica goroutines running, want 1", n)
			}
			if end.pause {
				h.send(&protocol.Pause{})
				h.await("paused", func(m protocol.Msg) bool {
					p, ok := m.(*protocol.Progress)
					return ok && p.State == protocol.StatePaused
				})
			}
			h.send(end.msg)
			// Any answer to a later message comes after the end was handled.
			h.send(&protocol.ShowUnlabeled{})
			h.await("the session to go on", kind(protocol.KindUnlabeledPage))
			if n := h.env.live.Load(); n != 0 {
				t.Errorf("%d replica goroutines still running after %s", n, end.name)
			}
		})
	}
}

func TestWorkersFor(t *testing.T) {
	rot := pretext.NewRotation(ImageSize) // 4 samples per image
	for _, tc := range []struct{ requested, batch, want int }{
		{0, 64, 1}, {1, 64, 1}, {-3, 64, 1}, {2, 64, 2}, {8, 64, 8},
		{20, 64, protocol.MaxWorkers}, // at most MaxWorkers
		{4, 8, 2},                     // a batch of 8 is 2 images: at most 2 workers
		{4, 2, 1},                     // less than an image: one
	} {
		cfg := train.DefaultPretrain("rotation", ImageSize)
		cfg.Batch = tc.batch
		if got := workersFor(tc.requested, cfg, rot); got != tc.want {
			t.Errorf("workersFor(%d, batch %d) = %d, want %d", tc.requested, tc.batch, got, tc.want)
		}
	}
}

// When the host aborts a run's exchanges ahead of a Stop (ErrPreempted, so
// that a slow or hung replica cannot hold the Stop up), the leader goes on
// alone, silently and without losing a step, until the message arrives:
// here none does, so the run ends done, on 1 worker, with the model one
// worker would train.
func TestHostAbortGoesOnAlone(t *testing.T) {
	run := protocol.StartPretrain{Task: "rotation", Samples: 12 * 32, Batch: 32, Seed: 7}
	_, w1, _ := pretrainOn(t, nil, run)
	run.Workers = 2
	aborted := false
	last, w2, errs := pretrainOn(t, func(e *fakeEnv) {
		e.onProgress = func(p *protocol.Progress) {
			if !aborted && p.Step >= 3 && p.Workers == 2 {
				aborted = true
				e.group.Load().g.Break(ErrPreempted)
			}
		}
	}, run)
	if !aborted {
		t.Fatal("the run never reached step 3 on 2 workers")
	}
	if len(errs) != 0 {
		t.Errorf("errors %q, want none: the abort was the host's own", errs)
	}
	if last.Workers != 1 {
		t.Errorf("final progress says %d workers, want 1", last.Workers)
	}
	if dw := maxRelDiff(w1, w2); dw > weightTol {
		t.Errorf("weights differ from one worker's by %.2g > %g", dw, weightTol)
	}
}
