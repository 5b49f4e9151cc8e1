package ui

import (
	"fmt"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Insight is what the page shows of the trunk's features (issue 12,
// view_insight.go and the pretext step's filters): the last
// nearest-neighbour answer, the feature map with each side's zoom, and the
// latest first-layer filters. All of it describes one pool and one
// pretraining, so a new pretraining run or a change of data drops it.
type Insight struct {
	// Neighbours is the last answer to ShowNeighbours; Query, Before and
	// After are its pictures (Caption: the similarity and the class).
	Neighbours    *protocol.Neighbours
	Query         Picture
	Before, After []Picture
	// Asking and Mapping tell that a ShowNeighbours or a ShowFeatureMap
	// is on its way and not answered yet.
	Asking, Mapping bool

	Map *protocol.FeatureMap
	// Views are the zoom of the map's two sides, MapBefore and MapAfter.
	Views [2]Viewport

	Filters    *protocol.Filters
	FiltersURL string

	// Asked is the pool image of the last neighbours question and HasAsked
	// whether there was one: a new pretraining keeps it (the pool is the
	// same), so that its end can ask again (pretrainingEnded).
	Asked    int
	HasAsked bool
}

// The sides of the feature map, for Insight.Views.
const (
	MapBefore = iota
	MapAfter
)

// AskNeighbours is the message that asks for the neighbours of pool image
// pool; the panel says it is on its way until the answer (or an error).
func (s *State) AskNeighbours(pool int) protocol.Msg {
	s.Insight.Asking, s.Insight.Asked, s.Insight.HasAsked = true, pool, true
	s.Touch(SecInsight)
	return &protocol.ShowNeighbours{Pool: pool}
}

// AskFeatureMap is the message that asks for the feature map.
func (s *State) AskFeatureMap() protocol.Msg {
	s.Insight.Mapping = true
	s.Touch(SecInsight)
	return &protocol.ShowFeatureMap{}
}

// ViewMap applies a zoom or pan button to one side of the map.
func (s *State) ViewMap(side int, a ViewAction) {
	s.Insight.Views[side] = s.Insight.Views[side].Apply(a)
	s.Touch(SecInsight)
}

// classes is the class names the insight views use.
func (s *State) classes() []string {
	if s.Data != nil {
		return s.Data.Classes
	}
	return nil
}

// ClassLabel names class k for the insight views: its name, or
// "unlabeled" for a negative k.
func (s *State) ClassLabel(k int) string {
	if k < 0 {
		return "unlabeled"
	}
	return className(s.classes(), k)
}

func (s *State) applyNeighbours(m *protocol.Neighbours) {
	in := &s.Insight
	in.Neighbours, in.Asking = m, false
	in.Asked, in.HasAsked = m.Query.Pool, true
	in.Query = Picture{URL: dataURL(m.Query.PNG), Caption: s.ClassLabel(m.Query.Class), Class: m.Query.Class, Pool: m.Query.Pool}
	pics := func(ns []protocol.Neighbour) []Picture {
		var out []Picture
		for _, n := range ns {
			out = append(out, Picture{URL: dataURL(n.PNG), Class: n.Class, Pool: n.Pool,
				Caption: fmt.Sprintf("%.2f · %s", n.Similarity, s.ClassLabel(n.Class))})
		}
		return out
	}
	in.Before, in.After = pics(m.Before), pics(m.After)
}

func (s *State) applyFeatureMap(m *protocol.FeatureMap) {
	s.Insight.Map, s.Insight.Mapping = m, false
	s.Insight.Views = [2]Viewport{}
}

func (s *State) applyFilters(m *protocol.Filters) {
	s.Insight.Filters, s.Insight.FiltersURL = m, dataURL(m.PNG)
}

// dropInsight forgets every insight view: they describe a trunk or a pool
// that changed. With samePool (a new pretraining on the same images) it
// keeps which image was asked about.
func (s *State) dropInsight(samePool bool) {
	in := Insight{}
	if samePool {
		in.Asked, in.HasAsked = s.Insight.Asked, s.Insight.HasAsked
	}
	s.Insight = in
	s.Touch(SecPretext, SecInsight)
}

// pretrainingEnded queues what a finished (or stopped) pretraining makes
// worth asking: the feature map, now with an "after" side, and the
// neighbours of the image last asked about (before or during the run),
// now with the final trunk.
func (s *State) pretrainingEnded() {
	if s.ImageCount() == 0 {
		return
	}
	s.Requests = append(s.Requests, s.AskFeatureMap())
	if s.Insight.HasAsked {
		s.Requests = append(s.Requests, s.AskNeighbours(s.Insight.Asked))
	}
}

// TakeRequests returns the messages the reducer wants sent to the worker
// (App.receive sends them after each Apply) and forgets them.
func (s *State) TakeRequests() []protocol.Msg {
	r := s.Requests
	s.Requests = nil
	return r
}

// marked is the pool indices to ring on one side of the map: the
// neighbours query, then that side's neighbours.
func (s *State) marked(side int) []int {
	in := &s.Insight
	if in.Neighbours == nil {
		return nil
	}
	ns := in.Before
	if side == MapAfter {
		ns = in.After
	}
	out := []int{in.Query.Pool}
	for _, p := range ns {
		out = append(out, p.Pool)
	}
	return out
}

// SameClass counts the neighbours of the query's class; false when the
// query is unlabeled.
func (in *Insight) SameClass(ns []Picture) (int, bool) {
	if in.Neighbours == nil || in.Query.Class < 0 {
		return 0, false
	}
	n := 0
	for _, p := range ns {
		if p.Class == in.Query.Class {
			n++
		}
	}
	return n, true
}

// KNNMonitor is the label-free monitor's latest kNN accuracy (a fraction)
// in pretraining: the last Progress's when it carries one, else the last
// curve point's; false while none is known.
func (s *State) KNNMonitor() (float64, bool) {
	if p, ok := s.History.Last(protocol.PhasePretrain); ok && p.KNNAccuracy > 0 {
		return p.KNNAccuracy, true
	}
	pts := s.History.Points(protocol.PhasePretrain)
	for i := len(pts) - 1; i >= 0; i-- {
		if pts[i].KNN >= 0 {
			return pts[i].KNN, true
		}
	}
	return 0, false
}
