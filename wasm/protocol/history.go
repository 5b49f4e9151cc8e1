package protocol

import "slices"

// History is the training curves and the last Progress of each phase, as
// both the UI (the charts and meters) and the trainer (the autosaved
// Snapshot, which embeds it) keep them. Both build it with Record, so the
// page shows after a reload exactly what it showed live.
//
// The rules, in Record:
//   - A Progress is a point of its phase's curve when Step > 0 (step 0 is
//     before any training); a repeated step adds a point only when it
//     carries an evaluation (TestAccuracy > 0, or the pretraining
//     monitor's KNNAccuracy > 0), and the point's TestAccuracy and KNN
//     are -1 when it does not carry them.
//   - A Progress that begins a run (Step 0, StateRunning) makes the old
//     history of its phase stale, and that of every phase trained on its
//     model (Downstream): those curves and progress are dropped first.
type History struct {
	Curves   []Curve    `json:"curves"`
	Progress []Progress `json:"progress"` // the last Progress of each phase
}

// downstream lists, for each phase, the phases that train on its model.
var downstream = map[string][]string{
	PhasePretrain: {PhasePretrained, PhaseScratch},
}

// Downstream is the phases whose runs start from the model phase trains
// (pretraining's trunk is what both downstream runs compare on).
func Downstream(phase string) []string { return downstream[phase] }

// BeginsRun tells whether p is the first Progress of a new run of its phase.
func (p Progress) BeginsRun() bool { return p.Step == 0 && p.State == StateRunning }

// Stale is what a recorded Progress made stale besides the curves, for the
// keeper of the history to drop: a new run changes the model that the
// downstream results (and any classification) describe, and a new
// pretraining changes the one the live pretext examples show.
type Stale struct {
	Results  bool
	Examples bool
}

// Record adds p to the history by the rules above and says what else it
// made stale.
func (h *History) Record(p Progress) Stale {
	var st Stale
	if p.BeginsRun() {
		h.drop(append([]string{p.Phase}, Downstream(p.Phase)...))
		st = Stale{Results: true, Examples: p.Phase == PhasePretrain}
	}
	if pt, ok := pointOf(p); ok {
		h.addPoint(p.Phase, pt, p.TestAccuracy > 0 || p.KNNAccuracy > 0)
	}
	for i := range h.Progress {
		if h.Progress[i].Phase == p.Phase {
			h.Progress[i] = p
			return st
		}
	}
	h.Progress = append(h.Progress, p)
	return st
}

// pointOf is p as a curve point; false before the first step.
func pointOf(p Progress) (Point, bool) {
	pt := Point{Step: p.Step, Loss: p.Loss, Accuracy: p.Accuracy, TestAccuracy: -1, KNN: -1}
	if p.TestAccuracy > 0 {
		pt.TestAccuracy = p.TestAccuracy
	}
	if p.KNNAccuracy > 0 {
		pt.KNN = p.KNNAccuracy
	}
	return pt, p.Step > 0
}

// addPoint appends pt to its phase's curve; a repeated step is kept only
// when it carries an evaluation.
func (h *History) addPoint(phase string, pt Point, evaluated bool) {
	for i := range h.Curves {
		if c := &h.Curves[i]; c.Phase == phase {
			if n := len(c.Points); n == 0 || c.Points[n-1].Step != pt.Step || evaluated {
				c.Points = append(c.Points, pt)
			}
			return
		}
	}
	h.Curves = append(h.Curves, Curve{Phase: phase, Points: []Point{pt}})
}

// drop forgets the curves and progress of the given phases.
func (h *History) drop(phases []string) {
	var cs []Curve
	for _, c := range h.Curves {
		if !slices.Contains(phases, c.Phase) {
			cs = append(cs, c)
		}
	}
	var ps []Progress
	for _, p := range h.Progress {
		if !slices.Contains(phases, p.Phase) {
			ps = append(ps, p)
		}
	}
	h.Curves, h.Progress = cs, ps
}

// Points is the curve of a phase (nil if it has none).
func (h *History) Points(phase string) []Point {
	for _, c := range h.Curves {
		if c.Phase == phase {
			return c.Points
		}
	}
	return nil
}

// Last is the last Progress of a phase; false if the phase has none.
func (h *History) Last(phase string) (Progress, bool) {
	for _, p := range h.Progress {
		if p.Phase == phase {
			return p, true
		}
	}
	return Progress{}, false
}

// Record records p in the snapshot's history and drops the examples and
// results it made stale.
func (s *Snapshot) Record(p Progress) Stale {
	st := s.History.Record(p)
	if st.Results {
		s.Results = nil
	}
	if st.Examples {
		s.Examples = nil
	}
	return st
}
