package protocol

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

// every message kind with non-trivial contents, buffers included.
func samples() []Msg {
	res := &Results{
		Classes: []string{"cat", "dog"}, Mode: ModeFinetune,
		AccPretrained: 0.75, AccScratch: 0.5,
		PerClassPretrained: []float64{1, 0.5}, PerClassScratch: []float64{0.5, 0.5},
		Confusion:   [][]int{{2, 0}, {1, 1}},
		Predictions: []Prediction{{True: 1, Top: []Guess{{1, 0.9}, {0, 0.1}}, PNG: []byte{9, 8, 7}}, {True: 0, PNG: []byte{}}},
	}
	data := &DataLoaded{Source: "upload", Classes: []string{"cat", "dog"}, Unlabeled: 3, Labeled: 2,
		PerClass: []int{1, 1}, FileErrors: []FileError{{"x.png", "not an image"}},
		Thumbs: []Thumb{{Class: -1, PNG: []byte{1}}, {Class: 1, PNG: []byte{2, 3}}}}
	ex := &Examples{Task: "rotation", Step: 7, Items: []Example{{Caption: "90°", Right: true, PNG: []byte{5}}}}
	return []Msg{
		&Hello{}, &LoadDemo{}, &ClearData{}, &Pause{}, &Resume{}, &Stop{}, &SaveModel{}, &Reset{},
		&AddImages{Split: SplitLabeled, Files: []File{{"a/1.png", "a", []byte{1, 2}}, {"b/2.jpg", "b", []byte{3}}}},
		&StartPretrain{Task: "jigsaw", Samples: 100, LR: 0.01, Batch: 32, Seed: 1 << 60, Workers: 3},
		&StartFinetune{Mode: ModeProbe, Epochs: 3, LR: 0.001, Batch: 16, TestPercent: 20, Seed: 5},
		&Classify{File: File{Name: "me.jpg", Data: []byte{0xff, 0xd8}}},
		&LoadModel{Name: "m.safetensors", Data: []byte("weights")},
		&Ready{Restored: true}, data,
		&Progress{Phase: PhasePretrain, State: StateRunning, Step: 3, Steps: 10, Loss: 1.25, Accuracy: 0.5, SamplesPerSec: 100, ETASeconds: 2, Workers: 2},
		ex, res,
		&Classified{Name: "me.jpg", Top: []Guess{{0, 1}}, PNG: []byte{4}},
		&Model{Name: "tessera.safetensors", Data: []byte("st")},
		&Snapshot{Task: "rotation", Data: data, History: History{Curves: []Curve{{Phase: PhasePretrain, Points: []Point{{1, 2, 0.5, -1, 0.25}}}},
			Progress: []Progress{{Phase: PhasePretrain, State: StateDone}}}, Examples: ex, Results: res, Model: &ModelState{Pretrained: true, Task: "rotation", Classes: []string{"a", "b"}}},
		&Snapshot{}, &Saved{Bytes: 10}, &Error{Message: "boom"},
		&ModelState{Classifier: true, Task: "jigsaw", Classes: []string{"x", "y"}},
		&ShowUnlabeled{Offset: 24}, &LabelImages{IDs: []int{3, 5}, Class: "cat", Offset: 24},
		&UnlabeledPage{Offset: 24, Total: 30, Items: []Thumb{{Class: -1, ID: 25, PNG: []byte{7}}, {Class: -1, ID: 26, PNG: []byte{8, 9}}}},
		&FailReplica{AtStep: 5, Mode: FailExit},
		&ReplicaJob{Run: 2, Index: 1, Workers: 3, Job: []byte(`{"config":{"task":"rotation"}}`), SlotSize: 64,
			PoolID: 4, Images: 2, Size: 1, Memory: make([]byte, 64), Pool: []byte{1, 2, 3, 4, 5, 6}},
		&ReplicaIdle{Run: 2}, &ReplicaFailed{Run: 2, Message: "panic: boom"},
		&ShowNeighbours{Pool: 7}, &ShowFeatureMap{},
		&Neighbours{Query: Thumb{Class: 1, Pool: 7, PNG: []byte{1}}, Task: "rotation", AgreementBefore: 0.25, AgreementAfter: -1,
			Before: []Neighbour{{Pool: 3, Class: -1, Similarity: 0.5, PNG: []byte{2}}},
			After:  []Neighbour{{Pool: 4, Class: 1, Similarity: 0.9, PNG: []byte{3, 4}}, {Pool: 5, Class: 0, Similarity: -0.25, PNG: []byte{5}}}},
		&FeatureMap{Classes: []string{"a", "b"}, Task: "jigsaw", Before: []MapPoint{{X: 1, Y: -2, Class: 0, Pool: 0}},
			After: []MapPoint{{X: 0.5, Y: 3, Class: -1, Pool: 1}}, ExplainedBefore: [2]float64{0.5, 0.25}, ExplainedAfter: [2]float64{0.375, 0.125}},
		&Filters{Step: 40, Count: 16, Size: 3, Columns: 8, PNG: []byte{9, 8, 7}},
	}
}

func TestRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range samples() {
		seen[m.Kind()] = true
		t.Run(m.Kind(), func(t *testing.T) {
			p, err := Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(p.JSON, []byte("weights")) {
				t.Errorf("buffer leaked into JSON: %s", p.JSON)
			}
			got, err := Decode(p)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, m) {
				t.Errorf("round trip:\n got %#v\nwant %#v", got, m)
			}
		})
	}
	for k := range registry {
		if !seen[k] {
			t.Errorf("kind %s has no round-trip sample", k)
		}
	}
}

// Every kind's constructor makes a message of that kind.
func TestRegistryKinds(t *testing.T) {
	for k, mk := range registry {
		if got := mk().Kind(); got != k {
			t.Errorf("registry[%q] makes a %s", k, got)
		}
	}
}

// A Snapshot's history is flat in its JSON, as before History existed.
func TestSnapshotHistoryJSON(t *testing.T) {
	p, err := Encode(&Snapshot{Task: "rotation", History: History{Curves: []Curve{}, Progress: []Progress{}}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"task":"rotation","curves":[],"progress":[]}`; string(p.JSON) != want {
		t.Errorf("JSON %s, want %s", p.JSON, want)
	}
}

// A message given by value encodes the same as by pointer, buffers included.
func TestEncodeValue(t *testing.T) {
	m := Model{Name: "x", Data: []byte{1, 2, 3}}
	p, err := Encode(m)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Buffers) != 1 || !bytes.Equal(p.Buffers[0], m.Data) {
		t.Fatalf("buffers = %v, want [%v]", p.Buffers, m.Data)
	}
	if &p.Buffers[0][0] != &m.Data[0] {
		t.Error("Encode copied the buffer")
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		p    Packet
		want string
	}{
		{"unknown kind", Packet{Kind: "Nope"}, "unknown message kind"},
		{"bad json", Packet{Kind: "Progress", JSON: []byte("{")}, "decode Progress"},
		{"missing buffer", Packet{Kind: "Model", JSON: []byte(`{"name":"m"}`)}, "0 buffers for 1 slots"},
		{"extra buffer", Packet{Kind: "Progress", JSON: []byte(`{}`), Buffers: [][]byte{{1}}}, "1 buffers for 0 slots"},
		{"buffer count follows json", Packet{Kind: "AddImages", JSON: []byte(`{"files":[{"name":"a"},{"name":"b"}]}`), Buffers: [][]byte{{1}}}, "1 buffers for 2 slots"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode(tc.p)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want containing %q", err, tc.want)
			}
		})
	}
}

// Messages from before data-parallel training (no workers field) still
// decode: zero means one worker.
func TestWorkersOptional(t *testing.T) {
	for _, tc := range []struct {
		p    Packet
		want Msg
	}{
		{Packet{Kind: "StartPretrain", JSON: []byte(`{"task":"rotation","samples":64}`)}, &StartPretrain{Task: "rotation", Samples: 64}},
		{Packet{Kind: "Progress", JSON: []byte(`{"phase":"pretrain","step":2}`)}, &Progress{Phase: PhasePretrain, Step: 2}},
	} {
		got, err := Decode(tc.p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %#v, want %#v", tc.p.Kind, got, tc.want)
		}
		p, err := Encode(tc.want)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(p.JSON, []byte("workers")) {
			t.Errorf("%s: zero fields encoded: %s", tc.p.Kind, p.JSON)
		}
	}
}
