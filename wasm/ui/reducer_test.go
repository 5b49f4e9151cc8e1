package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

func TestApplyFlow(t *testing.T) {
	s := NewState()
	if s.CanPretrain() || s.CanFinetune() {
		t.Fatal("a fresh page can train")
	}
	s.Apply(&protocol.Ready{})
	s.Apply(&protocol.DataLoaded{Source: "demo", Classes: []string{"a", "b"}, Unlabeled: 10, Labeled: 4, Test: 2,
		PerClass: []int{2, 2}, Thumbs: []protocol.Thumb{{Class: -1, PNG: []byte{1, 2, 3}}}})
	if s.ImageCount() != 16 || !s.CanPretrain() || s.CanFinetune() {
		t.Fatalf("after data: count %d, can pretrain %v, can fine-tune %v", s.ImageCount(), s.CanPretrain(), s.CanFinetune())
	}
	if len(s.Thumbs) != 1 || s.Thumbs[0].URL != "data:image/png;base64,AQID" {
		t.Errorf("thumbs %+v", s.Thumbs)
	}

	before := s.Rev
	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 1, Steps: 3, Loss: 2})
	if s.Running != "pretrain" || s.CanPretrain() {
		t.Fatalf("running %q, can pretrain %v", s.Running, s.CanPretrain())
	}
	for i := range s.Rev {
		if s.Rev[i] == before[i] {
			t.Errorf("section %d not re-rendered when training started", i)
		}
	}
	before = s.Rev
	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 2, Steps: 3, Loss: 1.5})
	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 2, Steps: 3, Loss: 1.5})
	if s.Rev[SecPretext] == before[SecPretext] || s.Rev[SecData] != before[SecData] {
		t.Errorf("progress touched %v → %v, want only the pretext section", before, s.Rev)
	}
	if n := len(s.History.Points(protocol.PhasePretrain)); n != 2 {
		t.Errorf("curve has %d points, want 2 (a repeated step is one point)", n)
	}
	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrain, State: protocol.StateDone, Step: 3, Steps: 3, Loss: 1})
	s.Apply(&protocol.ModelState{Pretrained: true, Task: "rotation"})
	if s.Running != "" || !s.CanFinetune() {
		t.Fatalf("after pretraining: running %q, can fine-tune %v", s.Running, s.CanFinetune())
	}

	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrained, State: protocol.StateRunning, Step: 1, Steps: 2, TestAccuracy: 0.5})
	if s.Running != "downstream" || s.CanFinetune() {
		t.Fatalf("downstream: running %q", s.Running)
	}
	if p := s.History.Points(protocol.PhasePretrained); len(p) != 1 || p[0].TestAccuracy != 0.5 {
		t.Errorf("downstream curve %+v", p)
	}
	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrained, State: protocol.StateDone, Step: 2, Steps: 2})
	s.Apply(&protocol.Results{Classes: []string{"a", "b"}, AccPretrained: 0.75, Predictions: []protocol.Prediction{
		{True: 1, Top: []protocol.Guess{{Class: 1, P: 0.9}, {Class: 0, P: 0.1}}, PNG: []byte{1}},
		{True: 0, Top: []protocol.Guess{{Class: 1, P: 0.6}, {Class: 0, P: 0.4}}, PNG: []byte{2}},
	}})
	if len(s.Predictions) != 2 || !s.Predictions[0].Right || s.Predictions[1].Right {
		t.Fatalf("predictions %+v", s.Predictions)
	}
	if got := s.Predictions[0].Caption; got != "b 90% · a 10%" {
		t.Errorf("caption %q", got)
	}
}

func TestSnapshotRestores(t *testing.T) {
	s := NewState()
	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 1, Steps: 9})
	s.Apply(&protocol.Snapshot{
		Task: "jigsaw",
		Data: &protocol.DataLoaded{Unlabeled: 5},
		History: protocol.History{
			Curves:   []protocol.Curve{{Phase: protocol.PhasePretrain, Points: []protocol.Point{{Step: 1, Loss: 2, Accuracy: 0.1, TestAccuracy: -1, KNN: -1}, {Step: 2, Loss: 1, Accuracy: 0.2, TestAccuracy: -1, KNN: -1}}}},
			Progress: []protocol.Progress{{Phase: protocol.PhasePretrain, State: protocol.StateDone, Step: 2, Steps: 2}},
		},
		Examples: &protocol.Examples{Items: []protocol.Example{{Caption: "x", Right: true, PNG: []byte{1}}}},
		Results:  &protocol.Results{AccPretrained: 0.4},
		Model:    &protocol.ModelState{Pretrained: true, Classifier: true},
	})
	switch {
	case s.Running != "":
		t.Error("a restored run is not running")
	case s.Settings.Task != "jigsaw":
		t.Errorf("task %q", s.Settings.Task)
	case s.ImageCount() != 5 || len(s.History.Points(protocol.PhasePretrain)) != 2 || len(s.Examples) != 1:
		t.Errorf("restored state %+v", s)
	case s.Results == nil || s.Results.AccPretrained != 0.4 || !s.Model.Classifier:
		t.Errorf("restored results %+v model %+v", s.Results, s.Model)
	}
}

// Every error is kept (up to maxErrors, then the oldest go and are counted),
// and an error ends what the worker was busy with.
func TestErrorsAllKept(t *testing.T) {
	s := NewState()
	s.Busy = "decoding"
	for i := range 7 {
		s.Apply(&protocol.Error{Message: strings.Repeat("x", i)})
	}
	if len(s.Errors) != 7 || s.Errors[6] != "xxxxxx" || s.Busy != "" || s.ErrorsDropped != 0 {
		t.Errorf("errors %q, busy %q, dropped %d", s.Errors, s.Busy, s.ErrorsDropped)
	}
	for i := range maxErrors {
		s.Apply(&protocol.Error{Message: fmt.Sprint(i)})
	}
	if len(s.Errors) != maxErrors || s.Errors[0] != "0" || s.ErrorsDropped != 7 {
		t.Errorf("after %d more: %d kept, first %q, %d dropped", maxErrors, len(s.Errors), s.Errors[0], s.ErrorsDropped)
	}
}

// An uploaded model arrives as a Snapshot without data: the status must
// not stay at "loading the model…".
func TestSnapshotEndsBusy(t *testing.T) {
	s := NewState()
	s.Busy = "loading the model…"
	s.Apply(&protocol.Snapshot{Task: "rotation", Model: &protocol.ModelState{Pretrained: true}})
	if s.Busy != "" || !s.Model.Pretrained {
		t.Errorf("busy %q, model %+v", s.Busy, s.Model)
	}
}

// Starting a phase again forgets its old curve and the results built on it.
func TestNewRunResets(t *testing.T) {
	s := NewState()
	run := func(phase string, step int, state string) {
		s.Apply(&protocol.Progress{Phase: phase, State: state, Step: step, Steps: 2, Loss: 1})
	}
	run(protocol.PhasePretrain, 0, protocol.StateRunning)
	run(protocol.PhasePretrain, 2, protocol.StateDone)
	run(protocol.PhasePretrained, 0, protocol.StateRunning)
	run(protocol.PhasePretrained, 1, protocol.StateDone)
	s.Apply(&protocol.Results{AccPretrained: 0.5})
	s.Apply(&protocol.Examples{Items: []protocol.Example{{Caption: "x"}}})
	run(protocol.PhasePretrain, 0, protocol.StateRunning)
	if len(s.History.Points(protocol.PhasePretrain)) != 0 || len(s.History.Points(protocol.PhasePretrained)) != 0 ||
		s.Results != nil || s.Examples != nil {
		t.Errorf("after a new pretraining: curves %v, results %v, examples %v", s.History.Curves, s.Results, s.Examples)
	}
	if _, ok := s.History.Last(protocol.PhasePretrained); ok {
		t.Error("downstream progress of the old trunk is still shown")
	}
}

// A picked file and a dropped one make the page say the worker is busy
// alike; nothing sent, nothing said.
func TestFilesSent(t *testing.T) {
	for _, tc := range []struct {
		split string
		n     int
		busy  string
	}{
		{protocol.SplitUnlabeled, 3, "decoding images…"},
		{protocol.SplitLabeled, 1, "decoding images…"},
		{protocol.SplitTest, 2, "decoding images…"},
		{SplitClassify, 1, "classifying…"},
		{protocol.SplitUnlabeled, 0, ""},
	} {
		s := NewState()
		before := s.Rev
		s.FilesSent(tc.split, tc.n)
		if s.Busy != tc.busy {
			t.Errorf("%d files to %s: busy %q, want %q", tc.n, tc.split, s.Busy, tc.busy)
		}
		if (s.Rev != before) != (tc.busy != "") {
			t.Errorf("%d files to %s: sections %v → %v", tc.n, tc.split, before, s.Rev)
		}
		s.Apply(&protocol.DataLoaded{})
		if s.Busy != "" {
			t.Errorf("%d files to %s: still busy after DataLoaded", tc.n, tc.split)
		}
	}
}
