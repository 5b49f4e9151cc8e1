package protocol

import (
	"reflect"
	"testing"
)

func TestHistoryRecord(t *testing.T) {
	run := func(phase string, step int) Progress {
		return Progress{Phase: phase, State: StateRunning, Step: step, Steps: 9, Loss: float64(step), Accuracy: 0.1}
	}
	eval := func(p Progress, acc float64) Progress { p.TestAccuracy = acc; return p }
	knn := func(p Progress, acc float64) Progress { p.KNNAccuracy = acc; return p }
	done := func(p Progress) Progress { p.State = StateDone; return p }
	paused := func(p Progress) Progress { p.State = StatePaused; return p }
	pt := func(step int, test float64) Point {
		return Point{Step: step, Loss: float64(step), Accuracy: 0.1, TestAccuracy: test, KNN: -1}
	}
	pretrained := []Progress{run(PhasePretrain, 0), run(PhasePretrain, 1), done(run(PhasePretrain, 2)),
		run(PhasePretrained, 0), run(PhaseScratch, 0), eval(run(PhasePretrained, 1), 0.5), run(PhaseScratch, 1)}
	for _, tc := range []struct {
		name   string
		record []Progress
		curves map[string][]Point // every phase's curve (absent: none)
		last   map[string]int     // every phase's last step (absent: no progress)
		stale  Stale              // of the last Progress recorded
	}{
		{"step 0 is no point", []Progress{run(PhasePretrain, 0)},
			map[string][]Point{}, map[string]int{PhasePretrain: 0}, Stale{Results: true, Examples: true}},
		{"one point per step", []Progress{run(PhasePretrain, 0), run(PhasePretrain, 1), run(PhasePretrain, 1), paused(run(PhasePretrain, 1)), run(PhasePretrain, 2)},
			map[string][]Point{PhasePretrain: {pt(1, -1), pt(2, -1)}}, map[string]int{PhasePretrain: 2}, Stale{}},
		{"a repeated step with an evaluation is a point", []Progress{run(PhasePretrained, 1), eval(run(PhasePretrained, 1), 0.75)},
			map[string][]Point{PhasePretrained: {pt(1, -1), pt(1, 0.75)}}, map[string]int{PhasePretrained: 1}, Stale{}},
		{"a repeated pretraining step with a kNN accuracy is a point", []Progress{run(PhasePretrain, 3), knn(run(PhasePretrain, 3), 0.4), run(PhasePretrain, 3)},
			map[string][]Point{PhasePretrain: {pt(3, -1), {Step: 3, Loss: 3, Accuracy: 0.1, TestAccuracy: -1, KNN: 0.4}}}, map[string]int{PhasePretrain: 3}, Stale{}},
		{"a paused step 0 begins nothing", []Progress{run(PhasePretrain, 0), run(PhasePretrain, 1), paused(run(PhasePretrain, 0))},
			map[string][]Point{PhasePretrain: {pt(1, -1)}}, map[string]int{PhasePretrain: 0}, Stale{}},
		{"two downstream curves", pretrained,
			map[string][]Point{PhasePretrain: {pt(1, -1), pt(2, -1)}, PhasePretrained: {pt(1, 0.5)}, PhaseScratch: {pt(1, -1)}},
			map[string]int{PhasePretrain: 2, PhasePretrained: 1, PhaseScratch: 1}, Stale{}},
		{"a new downstream run keeps the pretraining", append(pretrained[:len(pretrained):len(pretrained)], run(PhasePretrained, 0)),
			map[string][]Point{PhasePretrain: {pt(1, -1), pt(2, -1)}, PhaseScratch: {pt(1, -1)}},
			map[string]int{PhasePretrain: 2, PhasePretrained: 0, PhaseScratch: 1}, Stale{Results: true}},
		{"a new pretraining drops the downstream runs", append(pretrained[:len(pretrained):len(pretrained)], run(PhasePretrain, 0)),
			map[string][]Point{}, map[string]int{PhasePretrain: 0}, Stale{Results: true, Examples: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var h History
			var st Stale
			for _, p := range tc.record {
				st = h.Record(p)
			}
			if st != tc.stale {
				t.Errorf("stale %+v, want %+v", st, tc.stale)
			}
			for _, phase := range []string{PhasePretrain, PhasePretrained, PhaseScratch} {
				if got := h.Points(phase); !reflect.DeepEqual(got, tc.curves[phase]) {
					t.Errorf("%s curve %v, want %v", phase, got, tc.curves[phase])
				}
				p, ok := h.Last(phase)
				want, wantOK := tc.last[phase]
				if ok != wantOK || ok && p.Step != want {
					t.Errorf("%s last progress %+v (%v), want step %d (%v)", phase, p, ok, want, wantOK)
				}
			}
		})
	}
}

// A Snapshot drops the examples and results its history made stale.
func TestSnapshotRecord(t *testing.T) {
	full := func() *Snapshot {
		return &Snapshot{Examples: &Examples{Step: 3}, Results: &Results{AccPretrained: 0.5}}
	}
	for _, tc := range []struct {
		p                 Progress
		examples, results bool // kept
	}{
		{Progress{Phase: PhasePretrain, State: StateRunning, Step: 3}, true, true},
		{Progress{Phase: PhasePretrain, State: StateRunning}, false, false},
		{Progress{Phase: PhasePretrained, State: StateRunning}, true, false},
		{Progress{Phase: PhaseScratch, State: StateRunning}, true, false},
	} {
		s := full()
		s.Record(tc.p)
		if (s.Examples != nil) != tc.examples || (s.Results != nil) != tc.results {
			t.Errorf("after %+v: examples %v, results %v; want kept %v, %v", tc.p, s.Examples, s.Results, tc.examples, tc.results)
		}
	}
}
