package ui

import (
	"testing"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

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
