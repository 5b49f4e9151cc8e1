package ui

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Picture is an image ready for an <img>: a data: URL.
type Picture struct {
	URL     string
	Caption string
	Right   bool
	Class   int
	ID      int // unlabeled image to label by hand
	Pool    int // the image's index in the trainer's pool, for ShowNeighbours
}

// State is everything the page shows.
type State struct {
	WorkerReady bool
	Restored    bool
	// Isolated tells whether the page is cross-origin isolated, so trainer
	// workers can share memory; without it pretraining uses one worker.
	Isolated        bool
	UpdateAvailable bool     // a newer build is cached; reload when idle
	Errors          []string // worker errors, newest last (the last maxErrors)
	ErrorsDropped   int      // older errors no longer kept
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

	// History is each phase's curve and last progress.
	History protocol.History

	ExamplesTask  string
	Examples      []Picture
	Results       *protocol.Results
	Predictions   []Picture // Caption holds the top-3 text, Right whether top-1 is right
	Model         *protocol.ModelState
	Classified    *protocol.Classified
	ClassifiedPic string
	SavedBytes    int

	// Insight is the views of what the trunk learned (insight.go).
	Insight Insight
	// Requests are messages the reducer wants sent to the worker; App
	// sends them after each Apply (TakeRequests).
	Requests []protocol.Msg

	// Rev counts changes per section of the page; a section re-renders only
	// when its count moves (go-app skips child components whose fields
	// are unchanged), which keeps the main thread's work per message small.
	Rev [numSections]int
}

// Sections of the page, for Rev.
const (
	SecData = iota
	SecPretext
	SecInsight
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

// maxErrors bounds the worker errors kept (a runaway failure must not fill
// memory); the panel shows the newest few and the rest behind a toggle.
const maxErrors = 1000

// NewState is the state of a fresh page.
func NewState() *State {
	return &State{Settings: DefaultSettings()}
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
			s.Thumbs = append(s.Thumbs, Picture{URL: dataURL(t.PNG), Class: t.Class, Pool: t.Pool})
		}
		s.dropInsight(false)
		s.Touch() // the steps' numbers follow whether data is loaded (StepNumber)
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
	case *protocol.Neighbours:
		s.applyNeighbours(m)
		s.Touch(SecInsight)
	case *protocol.FeatureMap:
		s.applyFeatureMap(m)
		s.Touch(SecInsight)
	case *protocol.Filters:
		s.applyFilters(m)
		s.Touch(SecPretext)
	case *protocol.Error:
		s.Busy = ""
		if s.Insight.Asking || s.Insight.Mapping {
			s.Insight.Asking, s.Insight.Mapping = false, false
			s.Touch(SecInsight)
		}
		s.Errors = append(s.Errors, m.Message)
		if len(s.Errors) > maxErrors {
			s.Errors = append(s.Errors[:0:0], s.Errors[len(s.Errors)-maxErrors:]...)
			s.ErrorsDropped++
		}
	}
}

// applyProgress records p in the history (protocol.History.Record, the
// trainer's rules too), drops what a new run made stale, and follows the
// running state.
func (s *State) applyProgress(p protocol.Progress) {
	stale := s.History.Record(p)
	if stale.Results {
		s.Results, s.Predictions = nil, nil
		s.Classified, s.ClassifiedPic = nil, ""
	}
	if stale.Examples {
		s.Examples = nil
		s.dropInsight(true)
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
	if wasRunning == "pretrain" && s.Running == "" {
		s.pretrainingEnded()
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
	s.Busy = "" // a restore, a reset or an uploaded model is installed
	s.History = m.History
	s.Examples, s.Results, s.Predictions = nil, nil, nil
	s.Classified, s.ClassifiedPic = nil, ""
	s.Running, s.Paused = "", false
	s.dropInsight(false)
	if m.Data != nil {
		s.Apply(m.Data)
	}
	if m.Task != "" {
		s.Settings.Task = m.Task
	}
	if m.Examples != nil {
		s.applyExamples(m.Examples)
	}
	if m.Results != nil {
		s.applyResults(m.Results)
	}
	s.Model = m.Model
}

// className is class k's name as the page shows it (protocol.VisibleName).
func className(classes []string, k int) string {
	if k >= 0 && k < len(classes) {
		return protocol.VisibleName(classes[k])
	}
	return "#" + strconv.Itoa(k)
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

// FilesSent records that n files went to the worker for split, picked or
// dropped alike: it is busy decoding them (classifying, for SplitClassify).
func (s *State) FilesSent(split string, n int) {
	if n == 0 {
		return
	}
	s.Busy = "decoding images…"
	if split == SplitClassify {
		s.Busy = "classifying…"
	}
	s.Touch()
}
