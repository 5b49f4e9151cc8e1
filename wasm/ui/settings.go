package ui

import (
	"fmt"
	"github.com/tessera-ssl/tessera/pretext"
	"slices"
	"strconv"
	"strings"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Settings are the form values of the pretext and downstream steps.
type Settings struct {
	Task string
	// The pretraining budget: Minutes of this machine's time when Unit is
	// UnitMinutes (the worker measures its speed and turns them into
	// samples), else Samples pretext samples.
	Unit        string
	Minutes     float64
	Samples     int
	LR          float64
	Batch       int
	Workers     int // trainer workers for pretraining, 1..protocol.MaxWorkers
	Mode        string
	Epochs      int
	FineLR      float64
	FineBatch   int
	TestPercent int
}

// DefaultSettings are the form's initial values.
func DefaultSettings() Settings {
	return Settings{Task: pretext.Default().Name, Unit: UnitMinutes, Minutes: 3, Samples: 20000, LR: 0.05, Batch: 64, Workers: 1,
		Mode: protocol.Modes[0], Epochs: 150, FineLR: 0.05, FineBatch: 64, TestPercent: 20}
}

// Units of the pretraining budget.
const (
	UnitMinutes = "minutes"
	UnitSamples = "samples"
)

// DefaultWorkers is the Workers setting for a machine with the given
// number of logical cores (navigator.hardwareConcurrency, 0 if unknown):
// one worker per core, within [1, protocol.MaxWorkers].
func DefaultWorkers(cores int) int {
	return max(1, min(cores, protocol.MaxWorkers))
}

// SetEnvironment records what the browser offers: its cores and whether
// the page is cross-origin isolated (without it, one worker).
func (s *State) SetEnvironment(cores int, isolated bool) {
	s.Isolated = isolated
	s.Settings.Workers = 1
	if isolated {
		s.Settings.Workers = DefaultWorkers(cores)
	}
	s.Touch(SecPretext)
}

// SetSetting parses one form field; an unparsable value is an error and
// leaves the setting unchanged.
func (s *State) SetSetting(name, value string) error {
	st := &s.Settings
	value = strings.TrimSpace(value)
	num := func(dst *int, lo, hi int) error {
		v, err := strconv.Atoi(value)
		if err != nil || v < lo || v > hi {
			return fmt.Errorf("%s must be a whole number from %d to %d", name, lo, hi)
		}
		*dst = v
		return nil
	}
	real := func(dst *float64) error {
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || !(v > 0) || v > 10 {
			return fmt.Errorf("%s must be a number above 0 and at most 10", name)
		}
		*dst = v
		return nil
	}
	switch name {
	case "task":
		for _, t := range Tasks {
			if t[0] == value {
				st.Task = value
				return nil
			}
		}
		return fmt.Errorf("unknown task %q", value)
	case "budget-unit":
		if value != UnitMinutes && value != UnitSamples {
			return fmt.Errorf("unknown budget unit %q", value)
		}
		st.Unit = value
		return nil
	case "budget":
		if st.Unit == UnitSamples {
			return num(&st.Samples, 1, 100_000_000)
		}
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || !(v > 0) || v > 600 {
			return fmt.Errorf("the budget must be a number of minutes above 0 and at most 600")
		}
		st.Minutes = v
		return nil
	case "lr":
		return real(&st.LR)
	case "batch":
		return num(&st.Batch, 1, 4096)
	case "workers":
		return num(&st.Workers, 1, protocol.MaxWorkers)
	case "mode":
		if !slices.Contains(protocol.Modes, value) {
			return fmt.Errorf("unknown mode %q", value)
		}
		st.Mode = value
		return nil
	case "epochs":
		return num(&st.Epochs, 1, 10_000)
	case "fine-lr":
		return real(&st.FineLR)
	case "fine-batch":
		return num(&st.FineBatch, 1, 4096)
	case "test-percent":
		return num(&st.TestPercent, 1, 99)
	}
	return fmt.Errorf("unknown setting %q", name)
}

// StartPretrain is the message the start button sends.
func (s *State) StartPretrain(seed uint64) *protocol.StartPretrain {
	st := s.Settings
	workers := st.Workers
	if !s.Isolated {
		workers = 1
	}
	m := &protocol.StartPretrain{Task: st.Task, Samples: st.Samples, LR: st.LR, Batch: st.Batch, Seed: seed, Workers: workers}
	if st.Unit == UnitMinutes {
		m.Samples, m.Minutes = 0, st.Minutes
	}
	return m
}

// StartFinetune is the message the fine-tune button sends.
func (s *State) StartFinetune(seed uint64) *protocol.StartFinetune {
	st := s.Settings
	workers := st.Workers
	if !s.Isolated {
		workers = 1
	}
	return &protocol.StartFinetune{Mode: st.Mode, Epochs: st.Epochs, LR: st.FineLR, Batch: st.FineBatch,
		TestPercent: st.TestPercent, Seed: seed, Workers: workers}
}
