package trainer

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// downstreamOn pretrains briefly on the synthetic demo, then trains both
// downstream arms with m, and returns the results, the final pretrained-arm
// progress, the classifier's flat weights and the Errors posted. The
// messages first (test hooks) go to the session before m.
func downstreamOn(t *testing.T, m protocol.StartFinetune, first ...protocol.Msg) (*protocol.Results, protocol.Progress, []float32, []string) {
	t.Helper()
	h := start(t, &memStore{})
	h.send(&protocol.LoadDemo{})
	h.await("demo", kind(protocol.KindDataLoaded))
	h.send(&protocol.StartPretrain{Task: "rotation", Samples: 4 * 32, Batch: 32, Seed: 7})
	h.await("pretrain done", func(m protocol.Msg) bool {
		p, ok := m.(*protocol.Progress)
		return ok && p.Phase == protocol.PhasePretrain && p.State == protocol.StateDone
	})
	for _, f := range first {
		h.send(f)
	}
	h.send(&m)
	var errs []string
	var last protocol.Progress
	var res *protocol.Results
	for res == nil {
		switch v := h.await("results", func(m protocol.Msg) bool {
			p, ok := m.(*protocol.Progress)
			return m.Kind() == protocol.KindError || m.Kind() == protocol.KindResults || ok && p.Phase == protocol.PhasePretrained
		}).(type) {
		case *protocol.Error:
			errs = append(errs, v.Message)
		case *protocol.Progress:
			last = *v
		case *protocol.Results:
			res = v
		}
	}
	w := finalWeights(t, h)
	h.stop()
	return res, last, w, errs
}

// Both downstream arms, semi-supervised included, train on K workers the
// models one worker trains, up to float rounding.
func TestDownstreamDataParallelMatchesOneWorker(t *testing.T) {
	for _, mode := range []string{protocol.ModeSemi, protocol.ModeFinetune} {
		run := protocol.StartFinetune{Mode: mode, Epochs: 3, Batch: 8, LR: 0.05, TestPercent: 20, Seed: 3}
		r1, p1, w1, errs := downstreamOn(t, run)
		if len(errs) > 0 || p1.Workers != 1 {
			t.Fatalf("%s, one worker: errors %q, workers %d", mode, errs, p1.Workers)
		}
		for _, k := range []int{2, 3} {
			t.Run(fmt.Sprintf("%s/%d workers", mode, k), func(t *testing.T) {
				m := run
				m.Workers = k
				rk, pk, wk, errs := downstreamOn(t, m)
				if len(errs) > 0 || pk.Workers != k {
					t.Fatalf("errors %q, workers %d (want %d)", errs, pk.Workers, k)
				}
				if pk.Step != p1.Step || pk.Steps != p1.Steps {
					t.Errorf("step %d/%d, one worker %d/%d", pk.Step, pk.Steps, p1.Step, p1.Steps)
				}
				if dw := maxRelDiff(w1, wk); dw > weightTol {
					t.Errorf("classifier weights differ from one worker's by %.2g > %g", dw, weightTol)
				}
				if rk.AccScratch != r1.AccScratch {
					t.Logf("scratch accuracy %.4f vs %.4f on one worker (float rounding can flip an image)", rk.AccScratch, r1.AccScratch)
				}
			})
		}
	}
}

// A replica failing mid-run is reported; both arms finish on one worker
// with the models one worker trains.
func TestDownstreamReplicaFailureContinues(t *testing.T) {
	run := protocol.StartFinetune{Mode: protocol.ModeSemi, Epochs: 3, Batch: 8, LR: 0.05, TestPercent: 20, Seed: 3}
	_, _, w1, _ := downstreamOn(t, run)
	run.Workers = 2
	_, last, w2, errs := downstreamOn(t, run, &protocol.FailReplica{AtStep: 2})
	if len(errs) != 1 || !strings.Contains(errs[0], "worker 2 of 2 failed") || !strings.Contains(errs[0], "downstream training continues on 1 worker") {
		t.Fatalf("errors %q, want one naming worker 2 of 2 and that training goes on", errs)
	}
	if last.Workers != 1 || last.Step != last.Steps {
		t.Errorf("final progress %+v: want all steps, on 1 worker", last)
	}
	if dw := maxRelDiff(w1, w2); dw > weightTol {
		t.Errorf("weights differ from one worker's by %.2g > %g", dw, weightTol)
	}
}
