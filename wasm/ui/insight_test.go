package ui

import (
	"reflect"
	"testing"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// insightFixtures are the messages the insight reducer tests combine.
var (
	demoData = &protocol.DataLoaded{Classes: []string{"cat", "dog"}, Unlabeled: 4, Labeled: 2, PerClass: []int{1, 1},
		Thumbs: []protocol.Thumb{{Class: -1, Pool: 0, PNG: []byte{1}}, {Class: 1, Pool: 5, PNG: []byte{2}}}}
	neighboursMsg = &protocol.Neighbours{
		Query: protocol.Thumb{Class: 0, Pool: 3, PNG: []byte{9}}, Task: "rotation", AgreementBefore: 0.2125, AgreementAfter: 0.25,
		Before: []protocol.Neighbour{{Pool: 1, Class: 1, Similarity: 0.934}, {Pool: 2, Class: -1, Similarity: 0.5}, {Pool: 4, Class: 0, Similarity: 0.25}},
		After:  []protocol.Neighbour{{Pool: 4, Class: 0, Similarity: 0.9}, {Pool: 6, Class: 0, Similarity: 0.8}},
	}
	mapMsg     = &protocol.FeatureMap{Classes: []string{"cat", "dog"}, Before: []protocol.MapPoint{{X: 1, Y: 2, Class: 0, Pool: 3}}}
	filtersMsg = &protocol.Filters{Step: 40, Count: 16, Size: 3, Columns: 8, PNG: []byte{1, 2, 3}}
)

func pretrain(step int, state string) *protocol.Progress {
	return &protocol.Progress{Phase: protocol.PhasePretrain, State: state, Step: step, Steps: 10, Loss: 1}
}

func TestApplyInsight(t *testing.T) {
	type want struct {
		neighbours, fmap, filters, asking, mapping bool
		requests                                   []protocol.Msg
	}
	zoomed := func(s *State) { s.ViewMap(MapAfter, ZoomIn) }
	for _, tc := range []struct {
		name   string
		before func(*State) // user actions before the messages
		msgs   []protocol.Msg
		want   want
	}{
		{"the answers are kept", nil,
			[]protocol.Msg{demoData, neighboursMsg, mapMsg, filtersMsg},
			want{neighbours: true, fmap: true, filters: true}},
		{"a question waits for its answer", func(s *State) { s.AskNeighbours(3); s.AskFeatureMap() },
			[]protocol.Msg{&protocol.Saved{Bytes: 10}},
			want{asking: true, mapping: true}},
		{"a change of data forgets the questions too", func(s *State) { s.AskNeighbours(3); s.AskFeatureMap() },
			[]protocol.Msg{demoData},
			want{}},
		{"the answers end the wait", func(s *State) { s.AskNeighbours(3); s.AskFeatureMap() },
			[]protocol.Msg{neighboursMsg, mapMsg},
			want{neighbours: true, fmap: true}},
		{"an error ends the wait", func(s *State) { s.AskNeighbours(3); s.AskFeatureMap() },
			[]protocol.Msg{&protocol.Error{Message: "no features yet"}},
			want{}},
		{"a new pretraining run drops them (the after side is stale)", nil,
			[]protocol.Msg{demoData, neighboursMsg, mapMsg, filtersMsg, pretrain(0, protocol.StateRunning)},
			want{}},
		{"filters of the new run are kept", nil,
			[]protocol.Msg{demoData, filtersMsg, pretrain(0, protocol.StateRunning), filtersMsg, pretrain(2, protocol.StateRunning)},
			want{filters: true}},
		{"a change of data drops them", nil,
			[]protocol.Msg{demoData, neighboursMsg, mapMsg, filtersMsg, demoData},
			want{}},
		{"a restored run drops them", nil,
			[]protocol.Msg{demoData, neighboursMsg, mapMsg, filtersMsg, &protocol.Snapshot{Data: demoData}},
			want{}},
		{"a downstream run keeps them", nil,
			[]protocol.Msg{demoData, neighboursMsg, mapMsg, &protocol.Progress{Phase: protocol.PhasePretrained, State: protocol.StateRunning},
				&protocol.Progress{Phase: protocol.PhasePretrained, State: protocol.StateDone, Step: 3}},
			want{neighbours: true, fmap: true}},
		{"the end of pretraining asks for the map", nil,
			[]protocol.Msg{demoData, pretrain(0, protocol.StateRunning), pretrain(5, protocol.StateRunning), pretrain(10, protocol.StateDone)},
			want{mapping: true, requests: []protocol.Msg{&protocol.ShowFeatureMap{}}}},
		{"and for the neighbours on show, with the final trunk", nil,
			[]protocol.Msg{demoData, pretrain(0, protocol.StateRunning), neighboursMsg, pretrain(4, protocol.StateStopped)},
			want{neighbours: true, asking: true, mapping: true,
				requests: []protocol.Msg{&protocol.ShowFeatureMap{}, &protocol.ShowNeighbours{Pool: 3}}}},
		{"and for the neighbours of an image asked about before the run", nil,
			[]protocol.Msg{demoData, neighboursMsg, pretrain(0, protocol.StateRunning), pretrain(10, protocol.StateDone)},
			want{asking: true, mapping: true,
				requests: []protocol.Msg{&protocol.ShowFeatureMap{}, &protocol.ShowNeighbours{Pool: 3}}}},
		{"but not of one asked about before a change of data", nil,
			[]protocol.Msg{demoData, neighboursMsg, demoData, pretrain(0, protocol.StateRunning), pretrain(10, protocol.StateDone)},
			want{mapping: true, requests: []protocol.Msg{&protocol.ShowFeatureMap{}}}},
		{"a pretraining that was not seen running asks nothing", nil,
			[]protocol.Msg{demoData, pretrain(10, protocol.StateDone)},
			want{}},
		{"pausing is not an end", nil,
			[]protocol.Msg{demoData, pretrain(0, protocol.StateRunning), pretrain(3, protocol.StatePaused)},
			want{}},
		{"a new map resets the zoom", zoomed,
			[]protocol.Msg{mapMsg},
			want{fmap: true}},
	} {
		s := NewState()
		if tc.before != nil {
			tc.before(s)
		}
		for _, m := range tc.msgs {
			s.Apply(m)
		}
		in := s.Insight
		got := want{in.Neighbours != nil, in.Map != nil, in.Filters != nil, in.Asking, in.Mapping, s.TakeRequests()}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
		if in.Map != nil && in.Views != [2]Viewport{} {
			t.Errorf("%s: views %+v, want the whole map", tc.name, in.Views)
		}
		if s.TakeRequests() != nil {
			t.Errorf("%s: TakeRequests does not forget", tc.name)
		}
	}
}

func TestApplyNeighbours(t *testing.T) {
	s := NewState()
	s.Apply(demoData)
	before := s.Rev
	s.Apply(neighboursMsg)
	if s.Rev[SecInsight] == before[SecInsight] || s.Rev[SecPretext] != before[SecPretext] {
		t.Errorf("neighbours touched %v → %v, want the insight step only", before, s.Rev)
	}
	in := s.Insight
	if in.Query.Pool != 3 || in.Query.Caption != "cat" || in.Query.URL != "data:image/png;base64,CQ==" {
		t.Errorf("query %+v", in.Query)
	}
	var caps []string
	for _, p := range in.Before {
		caps = append(caps, p.Caption)
	}
	if want := []string{"0.93 · dog", "0.50 · unlabeled", "0.25 · cat"}; !reflect.DeepEqual(caps, want) {
		t.Errorf("captions %q, want %q", caps, want)
	}
	if in.Before[1].Pool != 2 || in.Before[1].Class != -1 || len(in.After) != 2 {
		t.Errorf("neighbours %+v / %+v", in.Before, in.After)
	}
	for _, tc := range []struct {
		pics []Picture
		n    int
	}{{in.Before, 1}, {in.After, 2}, {nil, 0}} {
		if n, ok := in.SameClass(tc.pics); !ok || n != tc.n {
			t.Errorf("SameClass = %d, %v, want %d", n, ok, tc.n)
		}
	}
	in.Query.Class = -1
	if _, ok := in.SameClass(in.After); ok {
		t.Error("an unlabeled query counts neighbours of its class")
	}
	if got := s.marked(MapAfter); !reflect.DeepEqual(got, []int{3, 4, 6}) {
		t.Errorf("marked %v, want the query then the after side's neighbours", got)
	}

	before = s.Rev
	s.Apply(filtersMsg)
	if s.Rev[SecPretext] == before[SecPretext] || s.Insight.FiltersURL != "data:image/png;base64,AQID" {
		t.Errorf("filters: sections %v → %v, url %q", before, s.Rev, s.Insight.FiltersURL)
	}
}

// App.receive sends what the reducer asks for.
func TestReceiveSendsRequests(t *testing.T) {
	a := &App{}
	a.OnInit()
	for _, m := range []protocol.Msg{&protocol.Ready{}, demoData, pretrain(0, protocol.StateRunning), pretrain(10, protocol.StateDone)} {
		a.receive(m)
	}
	sent := a.bridge.(*recorder).sent
	if len(sent) != 1 || sent[0].Kind() != protocol.KindShowFeatureMap {
		t.Errorf("sent %v, want one ShowFeatureMap", sent)
	}
}

func TestKNNMonitor(t *testing.T) {
	for _, tc := range []struct {
		name  string
		msgs  []protocol.Progress
		want  float64
		known bool
	}{
		{"none before pretraining", nil, 0, false},
		{"none without labeled images", []protocol.Progress{{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 3}}, 0, false},
		{"the last progress's", []protocol.Progress{
			{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 3, KNNAccuracy: 0.3},
			{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 6, KNNAccuracy: 0.412}}, 0.412, true},
		{"kept between evaluations", []protocol.Progress{
			{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 3, KNNAccuracy: 0.35},
			{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 4}}, 0.35, true},
		{"a new run forgets it", []protocol.Progress{
			{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 3, KNNAccuracy: 0.35},
			{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 0}}, 0, false},
	} {
		s := NewState()
		for i := range tc.msgs {
			s.Apply(&tc.msgs[i])
		}
		if got, ok := s.KNNMonitor(); got != tc.want || ok != tc.known {
			t.Errorf("%s: %v, %v; want %v, %v", tc.name, got, ok, tc.want, tc.known)
		}
	}
}

func TestStepNumber(t *testing.T) {
	for _, tc := range []struct {
		name string
		data *protocol.DataLoaded
		want map[int]string
	}{
		{"before data the insight step is hidden and the numbers do not skip", nil,
			map[int]string{SecData: "1", SecPretext: "2", SecInsight: "", SecDownstream: "3", SecResults: "4", SecKeep: "5"}},
		{"with data it comes after pretraining", demoData,
			map[int]string{SecData: "1", SecPretext: "2", SecInsight: "3", SecDownstream: "4", SecResults: "5", SecKeep: "6"}},
		{"cleared data hides it again", &protocol.DataLoaded{},
			map[int]string{SecInsight: "", SecDownstream: "3"}},
	} {
		s := NewState()
		if tc.data != nil {
			s.Apply(tc.data)
		}
		for sec, want := range tc.want {
			if got := s.StepNumber(sec); got != want {
				t.Errorf("%s: section %d is step %q, want %q", tc.name, sec, got, want)
			}
		}
	}
}
