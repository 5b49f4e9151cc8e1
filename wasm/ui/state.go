// Package ui is Tessera's page: go-app components that render a State and
// turn clicks into protocol messages for the trainer worker. The State and
// its reducer (Apply) are plain Go, tested natively; the worker bridge is the
// only code that needs syscall/js (bridge_js.go).
package ui

import (
	"encoding/base64"
	"fmt"
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
	return Settings{Task: "rotation", Unit: UnitMinutes, Minutes: 3, Samples: 20000, LR: 0.05, Batch: 64, Workers: 1,
		Mode: protocol.Modes[0], Epochs: 150, FineLR: 0.05, FineBatch: 64, TestPercent: 20}
}

// Units of the pretraining budget.
const (
	UnitMinutes = "minutes"
	UnitSamples = "samples"
)

// Tasks lists the pretext tasks: select value and label.
var Tasks = [][2]string{
	{"rotation", "Rotation — predict 0°, 90°, 180° or 270°"},
	{"jigsaw", "Jigsaw — put shuffled tiles back in order"},
	{"colorization", "Colorization — predict colours from gray"},
	{"context", "Relative position — where is the neighbour patch?"},
}

// Picture is an image ready for an <img>: a data: URL.
type Picture struct {
	URL     string
	Caption string
	Right   bool
	Class   int
	ID      int // unlabeled image to label by hand
}

// State is everything the page shows.
type State struct {
	WorkerReady bool
	Restored    bool
	// Isolated tells whether the page is cross-origin isolated, so trainer
	// workers can share memory; without it pretraining uses one worker.
	Isolated        bool
	UpdateAvailable bool     // a newer build is cached; reload when idle
	Errors          []string // worker errors, newest last
	Busy            string   // what the worker is doing on the user's behalf, "" if nothing

	Data   *protocol.DataLoaded
	Thumbs []Picture

	// Labeling by hand: a page of unlabeled images, the selection, the class.
	LabelPage  *protocol.UnlabeledPage
	LabelPics  []Picture
	Selected   map[int]bool
	LabelClass string

	Settings Settings
	Running  string // phase of the running job: "", "pretrain" or "downstream"
	Paused   bool

	Progress map[string]protocol.Progress // last progress per phase
	Curves   map[string][]protocol.Point  // history per phase

	ExamplesTask  string
	Examples      []Picture
	Results       *protocol.Results
	Predictions   []Picture // Caption holds the top-3 text, Right whether top-1 is right
	Model         *protocol.ModelState
	Classified    *protocol.Classified
	ClassifiedPic string
	SavedBytes    int

	// Rev counts changes per section of the page; a section re-renders only
	// when its count moves (go-app skips child components whose fields
	// are unchanged), which keeps the main thread's work per message small.
	Rev [numSections]int
}

// Sections of the page, for Rev.
const (
	SecData = iota
	SecPretext
	SecDownstream
	SecResults
	SecKeep
	numSections
)

// Touch marks sections as changed; with none, all of them.
func (s *State) Touch(secs ...int) {
	if len(secs) == 0 {
		for i := range s.Rev {
			s.Rev[i]++
		}
		return
	}
	for _, i := range secs {
		s.Rev[i]++
	}
}

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

// NewState is the state of a fresh page.
func NewState() *State {
	return &State{Settings: DefaultSettings(), Progress: map[string]protocol.Progress{}, Curves: map[string][]protocol.Point{}}
}

// dataURL turns PNG bytes into an <img> source.
func dataURL(png []byte) string {
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(png)
}

// Apply updates the state with a message from the worker.
func (s *State) Apply(m protocol.Msg) {
	switch m := m.(type) {
	case *protocol.Ready:
		s.WorkerReady, s.Restored = true, m.Restored
		s.Touch()
	case *protocol.DataLoaded:
		s.Busy = ""
		s.Data = m
		s.Thumbs = nil // a new slice, so the section sees the change
		for _, t := range m.Thumbs {
			s.Thumbs = append(s.Thumbs, Picture{URL: dataURL(t.PNG), Class: t.Class})
		}
		s.Touch(SecData, SecPretext, SecDownstream)
	case *protocol.UnlabeledPage:
		s.applyLabelPage(m)
		s.Touch(SecData)
	case *protocol.Progress:
		s.applyProgress(*m)
	case *protocol.Examples:
		s.applyExamples(m)
		s.Touch(SecPretext)
	case *protocol.Results:
		s.applyResults(m)
		s.Touch(SecResults, SecKeep)
	case *protocol.Classified:
		s.Busy = ""
		s.Classified, s.ClassifiedPic = m, dataURL(m.PNG)
		s.Touch(SecResults)
	case *protocol.Snapshot:
		s.applySnapshot(m)
		s.Touch()
	case *protocol.ModelState:
		s.Model = m
		s.Touch(SecDownstream, SecResults, SecKeep)
	case *protocol.Saved:
		s.SavedBytes = m.Bytes
		s.Touch(SecKeep)
	case *protocol.Model:
		s.Busy = ""
		s.Touch(SecKeep)
	case *protocol.Error:
		s.Busy = ""
		s.Errors = append(s.Errors, m.Message)
		if len(s.Errors) > 5 {
			s.Errors = s.Errors[len(s.Errors)-5:]
		}
	}
}

func (s *State) applyProgress(p protocol.Progress) {
	if p.Step == 0 && p.State == protocol.StateRunning {
		// A new run of this phase: its old curve, and anything computed
		// downstream of it, no longer describe the model.
		delete(s.Curves, p.Phase)
		s.Results, s.Predictions = nil, nil
		s.Classified, s.ClassifiedPic = nil, ""
		if p.Phase == protocol.PhasePretrain {
			s.Examples = nil
			delete(s.Curves, protocol.PhasePretrained)
			delete(s.Curves, protocol.PhaseScratch)
			delete(s.Progress, protocol.PhasePretrained)
			delete(s.Progress, protocol.PhaseScratch)
		}
	}
	s.Progress[p.Phase] = p
	pt := protocol.Point{Step: p.Step, Loss: p.Loss, Accuracy: p.Accuracy, TestAccuracy: -1}
	if p.TestAccuracy > 0 {
		pt.TestAccuracy = p.TestAccuracy
	}
	c := s.Curves[p.Phase]
	if n := len(c); p.Step > 0 && (n == 0 || c[n-1].Step != p.Step || p.TestAccuracy > 0) {
		s.Curves[p.Phase] = append(c, pt)
	}
	running := p.State == protocol.StateRunning || p.State == protocol.StatePaused
	phase := "pretrain"
	if p.Phase != protocol.PhasePretrain {
		phase = "downstream"
	}
	wasRunning, wasPaused := s.Running, s.Paused
	switch {
	case running:
		s.Running, s.Paused = phase, p.State == protocol.StatePaused
	case s.Running == phase:
		s.Running, s.Paused = "", false
	}
	if s.Running != wasRunning || s.Paused != wasPaused {
		s.Touch() // buttons everywhere follow the running state
	} else if phase == "pretrain" {
		s.Touch(SecPretext)
	} else {
		s.Touch(SecDownstream)
	}
}

func (s *State) applyExamples(m *protocol.Examples) {
	s.ExamplesTask = m.Task
	s.Examples = nil
	for _, e := range m.Items {
		s.Examples = append(s.Examples, Picture{URL: dataURL(e.PNG), Caption: e.Caption, Right: e.Right})
	}
}

func (s *State) applyResults(r *protocol.Results) {
	s.Results = r
	s.Predictions = nil
	for _, p := range r.Predictions {
		var parts []string
		for _, g := range p.Top {
			parts = append(parts, fmt.Sprintf("%s %.0f%%", className(r.Classes, g.Class), 100*g.P))
		}
		right := len(p.Top) > 0 && p.Top[0].Class == p.True
		s.Predictions = append(s.Predictions, Picture{URL: dataURL(p.PNG), Caption: strings.Join(parts, " · "), Right: right, Class: p.True})
	}
}

// applySnapshot replaces the run's state with a restored or reset one.
func (s *State) applySnapshot(m *protocol.Snapshot) {
	s.Progress = map[string]protocol.Progress{}
	s.Curves = map[string][]protocol.Point{}
	s.Examples, s.Results, s.Predictions = nil, nil, nil
	s.Classified, s.ClassifiedPic = nil, ""
	s.Running, s.Paused = "", false
	if m.Data != nil {
		s.Apply(m.Data)
	}
	if m.Task != "" {
		s.Settings.Task = m.Task
	}
	for _, p := range m.Progress {
		s.Progress[p.Phase] = p
	}
	for _, c := range m.Curves {
		s.Curves[c.Phase] = c.Points
	}
	if m.Examples != nil {
		s.applyExamples(m.Examples)
	}
	if m.Results != nil {
		s.applyResults(m.Results)
	}
	s.Model = m.Model
}

func className(classes []string, k int) string {
	if k >= 0 && k < len(classes) {
		return classes[k]
	}
	return "#" + strconv.Itoa(k)
}

func (s *State) applyLabelPage(p *protocol.UnlabeledPage) {
	s.LabelPage = p
	s.LabelPics = nil
	keep := map[int]bool{}
	for _, it := range p.Items {
		s.LabelPics = append(s.LabelPics, Picture{URL: dataURL(it.PNG), ID: it.ID, Class: -1})
		if s.Selected[it.ID] {
			keep[it.ID] = true
		}
	}
	s.Selected = keep
}

// ToggleSelected selects or unselects an unlabeled image for labeling.
func (s *State) ToggleSelected(id int) {
	if s.Selected == nil {
		s.Selected = map[int]bool{}
	}
	if s.Selected[id] {
		delete(s.Selected, id)
	} else {
		s.Selected[id] = true
	}
	s.Touch(SecData)
}

// LabelSelected is the message that labels the selection, or why it cannot.
func (s *State) LabelSelected() (*protocol.LabelImages, error) {
	class := strings.TrimSpace(s.LabelClass)
	switch {
	case len(s.Selected) == 0:
		return nil, fmt.Errorf("select some images first")
	case class == "":
		return nil, fmt.Errorf("name the class of the selected images")
	}
	m := &protocol.LabelImages{Class: class}
	if s.LabelPage != nil {
		m.Offset = s.LabelPage.Offset
	}
	for _, p := range s.LabelPics { // page order, so the message is deterministic
		if s.Selected[p.ID] {
			m.IDs = append(m.IDs, p.ID)
		}
	}
	return m, nil
}

// ImageCount is the number of images loaded, all splits.
func (s *State) ImageCount() int {
	if s.Data == nil {
		return 0
	}
	return s.Data.Unlabeled + s.Data.Labeled + s.Data.Test
}

// CanPretrain tells whether the start button is live.
func (s *State) CanPretrain() bool {
	return s.WorkerReady && s.Running == "" && s.ImageCount() > 0
}

// CanFinetune tells whether the downstream button is live.
func (s *State) CanFinetune() bool {
	return s.WorkerReady && s.Running == "" && s.Model != nil && s.Model.Pretrained &&
		s.Data != nil && s.Data.Labeled > 0 && len(s.Data.Classes) >= 2
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
