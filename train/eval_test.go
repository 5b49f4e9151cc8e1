package train

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

func TestScoreKnownConfusion(t *testing.T) {
	// Three classes; rows of probs are (p0, p1, p2).
	probs := [][]float32{
		{0.7, 0.2, 0.1}, // true 0, pred 0
		{0.1, 0.6, 0.3}, // true 0, pred 1, rank of 0 is 3
		{0.2, 0.5, 0.3}, // true 1, pred 1
		{0.3, 0.4, 0.3}, // true 2, pred 1, 2 ranks third (tie with 0, lower index first)
		{0.1, 0.1, 0.8}, // true 2, pred 2
		{0.5, 0.2, 0.3}, // true 2, pred 0, 2 ranks second
	}
	labels := []int{0, 0, 1, 2, 2, 2}
	e := Score(probs, labels, []string{"a", "b", "c"})
	want := [][]int{{1, 1, 0}, {0, 1, 0}, {1, 1, 1}}
	for i := range want {
		if !slices.Equal(e.Confusion[i], want[i]) {
			t.Errorf("confusion row %d = %v, want %v", i, e.Confusion[i], want[i])
		}
	}
	if e.N != 6 || math.Abs(e.Accuracy-3.0/6) > 1e-12 {
		t.Errorf("N %d accuracy %v, want 6 and 0.5", e.N, e.Accuracy)
	}
	// Top-3 of 3 classes is always right.
	if e.Top3 != 1 {
		t.Errorf("top-3 %v, want 1", e.Top3)
	}
	wantPer := []float64{0.5, 1, 1.0 / 3}
	for c := range wantPer {
		if math.Abs(e.PerClass[c]-wantPer[c]) > 1e-12 {
			t.Errorf("per-class %v, want %v", e.PerClass, wantPer)
			break
		}
	}
	if empty := Score(nil, nil, []string{"a", "b"}); empty.N != 0 || empty.Accuracy != 0 || len(empty.Confusion) != 2 {
		t.Errorf("empty evaluation %+v", empty)
	}
}

func TestScoreTop3(t *testing.T) {
	probs := [][]float32{{0.1, 0.2, 0.3, 0.4}, {0.4, 0.3, 0.2, 0.1}}
	e := Score(probs, []int{0, 3}, []string{"a", "b", "c", "d"}) // both true classes rank fourth
	if e.Top3 != 0 || e.Accuracy != 0 {
		t.Errorf("top-3 %v accuracy %v, want 0 and 0", e.Top3, e.Accuracy)
	}
	e = Score(probs, []int{1, 2}, []string{"a", "b", "c", "d"}) // both third
	if e.Top3 != 1 || e.Accuracy != 0 {
		t.Errorf("top-3 %v accuracy %v, want 1 and 0", e.Top3, e.Accuracy)
	}
}

func TestTopK(t *testing.T) {
	tests := []struct {
		probs []float32
		k     int
		want  []int
	}{
		{[]float32{0.1, 0.5, 0.15, 0.25}, 3, []int{1, 3, 2}},
		{[]float32{0.1, 0.5, 0.15, 0.25}, 10, []int{1, 3, 2, 0}},
		{[]float32{0.25, 0.25, 0.5}, 2, []int{2, 0}}, // ties keep class order
		{[]float32{1}, 0, []int{}},
	}
	for _, tt := range tests {
		got := TopK(tt.probs, tt.k)
		classes := []int{}
		for i, r := range got {
			classes = append(classes, r.Class)
			if r.Probability != tt.probs[r.Class] {
				t.Errorf("TopK(%v) entry %d has probability %v", tt.probs, i, r.Probability)
			}
		}
		if !slices.Equal(classes, tt.want) {
			t.Errorf("TopK(%v, %d) = %v, want %v", tt.probs, tt.k, classes, tt.want)
		}
	}
}

func unit(v ...float32) []float32 {
	n := float32(0)
	for _, x := range v {
		n += x * x
	}
	n = float32(math.Sqrt(float64(n)))
	for i := range v {
		v[i] /= n
	}
	return v
}

func TestClassifyKNNSeparable(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	centres := [][]float32{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}
	near := func(c int) []float32 {
		v := slices.Clone(centres[c])
		for i := range v {
			v[i] += float32(rng.NormFloat64()) * 0.1
		}
		return unit(v...)
	}
	var ref, queries [][]float32
	var labels, truth []int
	for i := range 30 {
		ref = append(ref, near(i%3))
		labels = append(labels, i%3)
	}
	for i := range 12 {
		queries = append(queries, near(i%3))
		truth = append(truth, i%3)
	}
	probs := ClassifyKNN(ref, labels, 3, queries, 5)
	for i, p := range probs {
		sum := float32(0)
		for _, v := range p {
			sum += v
		}
		if math.Abs(float64(sum)-1) > 1e-5 {
			t.Errorf("query %d: probabilities sum to %v", i, sum)
		}
		if top := TopK(p, 1)[0].Class; top != truth[i] {
			t.Errorf("query %d near class %d classified as %d (%v)", i, truth[i], top, p)
		}
	}
	// With k = 1 the nearest neighbour takes all the vote.
	one := ClassifyKNN([][]float32{unit(1, 0), unit(0, 1)}, []int{1, 0}, 2, [][]float32{unit(0.9, 0.1)}, 1)
	if !slices.Equal(one[0], []float32{0, 1}) {
		t.Errorf("1-NN vote %v, want [0 1]", one[0])
	}
}

func TestKNNOnTrunkFeatures(t *testing.T) {
	// Solid colours are far apart for any trunk: kNN must get them right.
	solid := func(r, g, b uint8) *pretext.Image {
		img := pretext.NewImage(pipeSize, pipeSize)
		img.Fill(r, g, b)
		return img
	}
	d := &imageio.Dataset{Classes: []string{"red", "blue"}}
	for i := range 6 {
		v := uint8(20 * i)
		d.Images = append(d.Images, solid(200+v/2, v, v), solid(v, v, 200+v/2))
		d.Labels = append(d.Labels, 0, 1)
	}
	trunk := nn.NewTrunk(pipeTrunk(), rand.New(rand.NewPCG(3, 3)))
	feats := Features(trunk, d.Images)
	for i, f := range feats {
		n := 0.0
		for _, v := range f {
			n += float64(v) * float64(v)
		}
		if len(f) != trunk.Config.Channels() || math.Abs(n-1) > 1e-4 {
			t.Fatalf("feature %d: %d values with norm² %v", i, len(f), n)
		}
	}
	train, test := d.Subset([]int{0, 1, 2, 3, 4, 5, 6, 7}), d.Subset([]int{8, 9, 10, 11})
	if e := KNN(trunk, train, test, 3); e.Accuracy != 1 {
		t.Errorf("kNN accuracy %v on solid colours, confusion %v", e.Accuracy, e.Confusion)
	}
}

func TestPredictProbabilities(t *testing.T) {
	f, err := NewFinetuner(pipeFinetune(Scratch), nil, pipeTrunk(), pipeLabeled(2, 7), nil)
	if err != nil {
		t.Fatal(err)
	}
	imgs := pipePool(3, 8)
	probs := Predict(f.Model, imgs)
	if len(probs) != 3 {
		t.Fatalf("%d predictions for 3 images", len(probs))
	}
	for i, p := range probs {
		sum := float32(0)
		for _, v := range p {
			sum += v
		}
		if len(p) != 3 || math.Abs(float64(sum)-1) > 1e-5 {
			t.Errorf("image %d: probabilities %v", i, p)
		}
	}
	// One image alone gets the same answer as in a batch (evaluation mode).
	alone := Predict(f.Model, imgs[1:2])
	if !slices.Equal(alone[0], probs[1]) {
		t.Errorf("image alone %v, in a batch %v", alone[0], probs[1])
	}
}

func TestSaveLoadModelRoundTrip(t *testing.T) {
	data := pipeLabeled(3, 9)
	f, err := NewFinetuner(pipeFinetune(Scratch), nil, pipeTrunk(), data, nil)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		f.Step() // batch-norm statistics move away from their initial values
	}
	var buf bytes.Buffer
	if err := SaveModel(&buf, f.Model, f.Info("")); err != nil {
		t.Fatal(err)
	}
	file := buf.Bytes()
	m, info, err := LoadModel("m.safetensors", file)
	if err != nil {
		t.Fatal(err)
	}
	if name := sameTensors(t, snapshotTensors(f.Model.Tensors()), m.Tensors()); name != "" {
		t.Errorf("loaded %s differs", name)
	}
	if !slices.Equal(info.Classes, data.Classes) || info.ImageSize != pipeSize || info.Mode != Scratch || info.Head.Classes != 3 {
		t.Errorf("info %+v", info)
	}
	if !slices.Equal(Predict(m, data.Images)[0], Predict(f.Model, data.Images)[0]) {
		t.Errorf("loaded model predicts differently")
	}

	// Another architecture: same format, different widths.
	other := pipeTrunk()
	other.Widths = []int{8, 12}
	g, _ := NewFinetuner(pipeFinetune(Scratch), nil, other, data, nil)
	var obuf bytes.Buffer
	SaveModel(&obuf, g.Model, g.Info(""))
	hdr := binary.LittleEndian.Uint64(obuf.Bytes()[:8])
	// Splice the first model's description into the second file: the tensors no longer fit.
	swapped := bytes.Replace(obuf.Bytes()[:8+hdr], []byte(`\"Widths\":[8,12]`), []byte(`\"Widths\":[8,16]`), 1)
	swapped = append(swapped, obuf.Bytes()[8+hdr:]...)

	tests := []struct {
		name, wantErr string
		data          []byte
	}{
		{"truncated", "bad.safetensors", file[:len(file)/2]},
		{"empty", "bad.safetensors", nil},
		{"not safetensors", "bad.safetensors", []byte("GIF89a not a model at all")},
		{"wrong architecture", "different architecture", swapped},
	}
	for _, tt := range tests {
		_, _, err := LoadModel("bad.safetensors", tt.data)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
	// A safetensors file without Tessera's description.
	var plain bytes.Buffer
	nn.WriteSafetensors(&plain, f.Model.Tensors(), nil)
	if _, _, err := LoadModel("plain.safetensors", plain.Bytes()); err == nil || !strings.Contains(err.Error(), "not a Tessera model") {
		t.Errorf("plain safetensors: %v", err)
	}
}

func TestLeaveOneOutKNN(t *testing.T) {
	// Two tight clusters; each row's own copy is left out, so a row is
	// right only if its cluster mates outvote the other cluster.
	rows := [][]float32{{1, 0}, {0.99, 0.1}, {0.98, 0.2}, {0, 1}, {0.1, 0.99}, {0.2, 0.98}}
	for _, tc := range []struct {
		name   string
		labels []int
		k      int
		want   float64
	}{
		{"clusters are classes", []int{0, 0, 0, 1, 1, 1}, 2, 1},
		{"classes across clusters", []int{0, 1, 0, 1, 0, 1}, 2, 0},
		{"one odd row", []int{0, 0, 1, 1, 1, 1}, 2, 4.0 / 6},
	} {
		if got := LeaveOneOutKNN(rows, tc.labels, 2, tc.k); got != tc.want {
			t.Errorf("%s: accuracy %v, want %v", tc.name, got, tc.want)
		}
	}
}
