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
	if n := len(s.Curves[protocol.PhasePretrain]); n != 2 {
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
	if p := s.Curves[protocol.PhasePretrained]; len(p) != 1 || p[0].TestAccuracy != 0.5 {
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
		Task:     "jigsaw",
		Data:     &protocol.DataLoaded{Unlabeled: 5},
		Curves:   []protocol.Curve{{Phase: protocol.PhasePretrain, Points: []protocol.Point{{Step: 1, Loss: 2, Accuracy: 0.1, TestAccuracy: -1}, {Step: 2, Loss: 1, Accuracy: 0.2, TestAccuracy: -1}}}},
		Progress: []protocol.Progress{{Phase: protocol.PhasePretrain, State: protocol.StateDone, Step: 2, Steps: 2}},
		Examples: &protocol.Examples{Items: []protocol.Example{{Caption: "x", Right: true, PNG: []byte{1}}}},
		Results:  &protocol.Results{AccPretrained: 0.4},
		Model:    &protocol.ModelState{Pretrained: true, Classifier: true},
	})
	switch {
	case s.Running != "":
		t.Error("a restored run is not running")
	case s.Settings.Task != "jigsaw":
		t.Errorf("task %q", s.Settings.Task)
	case s.ImageCount() != 5 || len(s.Curves[protocol.PhasePretrain]) != 2 || len(s.Examples) != 1:
		t.Errorf("restored state %+v", s)
	case s.Results == nil || s.Results.AccPretrained != 0.4 || !s.Model.Classifier:
		t.Errorf("restored results %+v model %+v", s.Results, s.Model)
	}
}

func TestErrorsKeepTheLastFive(t *testing.T) {
	s := NewState()
	s.Busy = "decoding"
	for i := range 7 {
		s.Apply(&protocol.Error{Message: strings.Repeat("x", i)})
	}
	if len(s.Errors) != 5 || s.Errors[4] != "xxxxxx" || s.Busy != "" {
		t.Errorf("errors %q, busy %q", s.Errors, s.Busy)
	}
}

func TestSetSetting(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		ok          bool
		check       func(Settings) bool
	}{
		{"task", "jigsaw", true, func(s Settings) bool { return s.Task == "jigsaw" }},
		{"task", "sudoku", false, nil},
		{"budget", " 1.5 ", true, func(s Settings) bool { return s.Minutes == 1.5 && s.Unit == UnitMinutes }},
		{"budget", "0", false, nil},
		{"budget", "601", false, nil},
		{"budget", "NaN", false, nil},
		{"budget-unit", "samples", true, func(s Settings) bool { return s.Unit == UnitSamples }},
		{"budget-unit", "hours", false, nil},
		{"lr", "0.01", true, func(s Settings) bool { return s.LR == 0.01 }},
		{"lr", "-1", false, nil},
		{"lr", "NaN", false, nil},
		{"batch", "32", true, func(s Settings) bool { return s.Batch == 32 }},
		{"workers", "3", true, func(s Settings) bool { return s.Workers == 3 }},
		{"workers", "0", false, nil},
		{"workers", "9", false, nil},
		{"mode", "linear", true, func(s Settings) bool { return s.Mode == protocol.ModeProbe }},
		{"mode", "semi", true, func(s Settings) bool { return s.Mode == protocol.ModeSemi }},
		{"mode", "both", false, nil},
		{"epochs", "3", true, func(s Settings) bool { return s.Epochs == 3 }},
		{"test-percent", "100", false, nil},
		{"test-percent", "30", true, func(s Settings) bool { return s.TestPercent == 30 }},
		{"colour", "red", false, nil},
	} {
		s := NewState()
		err := s.SetSetting(tc.name, tc.value)
		if (err == nil) != tc.ok {
			t.Errorf("SetSetting(%s, %q) error %v, want ok %v", tc.name, tc.value, err, tc.ok)
			continue
		}
		if tc.ok && !tc.check(s.Settings) {
			t.Errorf("SetSetting(%s, %q) gave %+v", tc.name, tc.value, s.Settings)
		}
		if !tc.ok && s.Settings != DefaultSettings() {
			t.Errorf("rejected SetSetting(%s, %q) changed the settings", tc.name, tc.value)
		}
	}
	s := NewState()
	if m := s.StartPretrain(3); m.Minutes != DefaultSettings().Minutes || m.Samples != 0 {
		t.Errorf("default StartPretrain %+v: want a budget in minutes", m)
	}
	s.SetSetting("budget-unit", "samples")
	for _, bad := range []string{"1.5", "0"} {
		if s.SetSetting("budget", bad) == nil {
			t.Errorf("a budget of %q samples was accepted", bad)
		}
	}
	s.SetSetting("budget", "777")
	s.SetSetting("fine-batch", "8")
	if m := s.StartPretrain(3); m.Samples != 777 || m.Minutes != 0 || m.Task != "rotation" || m.Seed != 3 {
		t.Errorf("StartPretrain %+v", m)
	}
	if m := s.StartFinetune(4); m.Batch != 8 || m.TestPercent != 20 || m.Mode != DefaultSettings().Mode {
		t.Errorf("StartFinetune %+v", m)
	}
}

// The workers setting follows the machine's cores, within [1, 8], and is
// sent only when the page can share memory between workers.
func TestWorkersSetting(t *testing.T) {
	for _, tc := range []struct {
		cores    int
		isolated bool
		want     int // the setting and StartPretrain.Workers
	}{
		{0, true, 1}, {1, true, 1}, {2, true, 2}, {8, true, 8}, {16, true, 8},
		{4, false, 1},
	} {
		s := NewState()
		s.SetEnvironment(tc.cores, tc.isolated)
		if s.Settings.Workers != tc.want {
			t.Errorf("%d cores, isolated %v: setting %d, want %d", tc.cores, tc.isolated, s.Settings.Workers, tc.want)
		}
		if m := s.StartPretrain(1); m.Workers != tc.want {
			t.Errorf("%d cores, isolated %v: StartPretrain.Workers %d, want %d", tc.cores, tc.isolated, m.Workers, tc.want)
		}
	}
	s := NewState()
	s.SetEnvironment(4, false)
	if err := s.SetSetting("workers", "3"); err != nil {
		t.Fatal(err)
	}
	if m := s.StartPretrain(1); m.Workers != 1 {
		t.Errorf("not isolated: StartPretrain.Workers %d, want 1", m.Workers)
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
	if len(s.Curves[protocol.PhasePretrain]) != 0 || len(s.Curves[protocol.PhasePretrained]) != 0 ||
		s.Results != nil || s.Examples != nil {
		t.Errorf("after a new pretraining: curves %v, results %v, examples %v", s.Curves, s.Results, s.Examples)
	}
	if _, ok := s.Progress[protocol.PhasePretrained]; ok {
		t.Error("downstream progress of the old trunk is still shown")
	}
}

func TestLabelSelection(t *testing.T) {
	s := NewState()
	if _, err := s.LabelSelected(); err == nil {
		t.Error("labeling nothing is allowed")
	}
	s.Apply(&protocol.UnlabeledPage{Offset: 24, Total: 30, Items: []protocol.Thumb{{ID: 30, Class: -1, PNG: []byte{1}}, {ID: 31, Class: -1, PNG: []byte{2}}, {ID: 35, Class: -1, PNG: []byte{3}}}})
	s.ToggleSelected(35)
	s.ToggleSelected(30)
	s.ToggleSelected(31)
	s.ToggleSelected(31)
	if _, err := s.LabelSelected(); err == nil {
		t.Error("labeling without a class name is allowed")
	}
	s.LabelClass = "  bird "
	m, err := s.LabelSelected()
	if err != nil || m.Class != "bird" || fmt.Sprint(m.IDs) != "[30 35]" || m.Offset != 24 {
		t.Fatalf("LabelSelected = %+v, %v", m, err)
	}
	// A new page keeps only the selected images it still shows.
	s.Apply(&protocol.UnlabeledPage{Items: []protocol.Thumb{{ID: 35, PNG: []byte{3}}, {ID: 36, PNG: []byte{4}}}})
	if len(s.Selected) != 1 || !s.Selected[35] {
		t.Errorf("selection after a new page: %v", s.Selected)
	}
}
