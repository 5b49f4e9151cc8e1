package trainer

import (
	"bytes"
	"image/png"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train/insight"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// The synthetic demo's pool: 16 unlabeled images, then 16 labeled ones
// alternating classes 0 and 1 (synthDemo).
const synthPool = 32

func synthClass(pool int) int {
	if pool < 16 {
		return -1
	}
	return (pool - 16) % 2
}

// pretrained starts a session on the synthetic demo, pretrained for a few
// steps when pretrain is set.
func pretrained(t *testing.T, pretrain bool) *harness {
	h := start(t, &memStore{})
	h.send(&protocol.LoadDemo{})
	h.await("DataLoaded", kind(protocol.KindDataLoaded))
	if pretrain {
		h.send(&protocol.StartPretrain{Task: "rotation", Samples: 64, Batch: 16, LR: 0.05, Seed: 1})
		h.await("ModelState", kind(protocol.KindModelState))
	}
	return h
}

func TestNeighbours(t *testing.T) {
	for _, tc := range []struct {
		name     string
		pretrain bool
		query    int
		after    int // neighbours expected under the pretrained trunk
	}{
		{"unlabeled, no pretrained trunk", false, 3, 0},
		{"labeled, no pretrained trunk", false, 20, 0},
		{"unlabeled, pretrained", true, 0, protocol.NeighbourCount},
		{"labeled, pretrained", true, synthPool - 1, protocol.NeighbourCount},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := pretrained(t, tc.pretrain)
			h.send(&protocol.ShowNeighbours{Pool: tc.query})
			n := h.await("Neighbours", kind(protocol.KindNeighbours)).(*protocol.Neighbours)
			if n.Query.Pool != tc.query || n.Query.Class != synthClass(tc.query) || len(n.Query.PNG) == 0 {
				t.Errorf("query %+v, want pool %d class %d with a picture", n.Query, tc.query, synthClass(tc.query))
			}
			if (n.Task == "rotation") != tc.pretrain {
				t.Errorf("task %q", n.Task)
			}
			if !(n.AgreementBefore >= 0 && n.AgreementBefore <= 1) || tc.pretrain != (n.AgreementAfter >= 0 && n.AgreementAfter <= 1) || !tc.pretrain && n.AgreementAfter != -1 {
				t.Errorf("class agreement before %v, after %v (pretrained %v)", n.AgreementBefore, n.AgreementAfter, tc.pretrain)
			}
			for _, side := range []struct {
				name string
				list []protocol.Neighbour
				want int
			}{{"before", n.Before, protocol.NeighbourCount}, {"after", n.After, tc.after}} {
				if len(side.list) != side.want {
					t.Fatalf("%s: %d neighbours, want %d", side.name, len(side.list), side.want)
				}
				seen := map[int]bool{}
				for i, nb := range side.list {
					if nb.Pool == tc.query || nb.Pool < 0 || nb.Pool >= synthPool || seen[nb.Pool] {
						t.Errorf("%s: neighbour %d is pool image %d (query %d, or repeated, or outside the pool)", side.name, i, nb.Pool, tc.query)
					}
					seen[nb.Pool] = true
					if nb.Class != synthClass(nb.Pool) {
						t.Errorf("%s: neighbour %d (pool %d) has class %d, want %d", side.name, i, nb.Pool, nb.Class, synthClass(nb.Pool))
					}
					if i > 0 && nb.Similarity > side.list[i-1].Similarity {
						t.Errorf("%s: not best first at %d: %v after %v", side.name, i, nb.Similarity, side.list[i-1].Similarity)
					}
					if nb.Similarity < -1-1e-6 || nb.Similarity > 1+1e-6 || len(nb.PNG) == 0 {
						t.Errorf("%s: neighbour %+v", side.name, nb)
					}
				}
			}
		})
	}
}

func TestNeighboursBadPool(t *testing.T) {
	h := pretrained(t, false)
	for _, q := range []int{-1, synthPool, 1 << 20} {
		h.send(&protocol.ShowNeighbours{Pool: q})
		e := h.await("Error", kind(protocol.KindError)).(*protocol.Error)
		if !strings.Contains(e.Message, "neighbours of image") || !strings.Contains(e.Message, "0 to 31") {
			t.Errorf("pool %d: error %q, want it to name the image and the pool's range", q, e.Message)
		}
	}
	// The session goes on.
	h.send(&protocol.ShowNeighbours{Pool: 1})
	h.await("Neighbours", kind(protocol.KindNeighbours))
	// With no images at all, the request is refused in words.
	h.send(&protocol.ClearData{})
	h.await("DataLoaded", kind(protocol.KindDataLoaded))
	h.send(&protocol.ShowFeatureMap{})
	if e := h.await("Error", kind(protocol.KindError)).(*protocol.Error); !strings.Contains(e.Message, "no images") {
		t.Errorf("feature map without images: %q", e.Message)
	}
}

func TestFeatureMap(t *testing.T) {
	for _, pretrain := range []bool{false, true} {
		h := pretrained(t, pretrain)
		h.send(&protocol.ShowFeatureMap{})
		m := h.await("FeatureMap", kind(protocol.KindFeatureMap)).(*protocol.FeatureMap)
		wantAfter := 0
		if pretrain {
			wantAfter = synthPool
		}
		if len(m.Before) != synthPool || len(m.After) != wantAfter || len(m.Classes) != 2 {
			t.Fatalf("pretrained %v: %d before, %d after points, classes %v; want %d, %d and 2",
				pretrain, len(m.Before), len(m.After), m.Classes, synthPool, wantAfter)
		}
		for _, side := range [][]protocol.MapPoint{m.Before, m.After} {
			for i, p := range side {
				if p.Pool != i || p.Class != synthClass(i) {
					t.Errorf("point %d: %+v", i, p)
				}
			}
		}
		shares := [][2]float64{m.ExplainedBefore}
		if pretrain {
			shares = append(shares, m.ExplainedAfter)
		}
		for _, e := range shares {
			if e[0] <= 0 || e[1] < 0 || e[0] < e[1] || e[0]+e[1] > 1+1e-9 {
				t.Errorf("explained shares %v", e)
			}
		}
	}
}

// Thumbnails carry their pool index: the pool is the unlabeled images
// still unlabeled, then the labeled ones.
func TestThumbPool(t *testing.T) {
	h := start(t, &memStore{})
	rng := rand.New(rand.NewPCG(1, 1))
	var imgs []Decoded
	for i := range 30 {
		imgs = append(imgs, Decoded{Name: "u.png", Image: synthImage(i%2, rng)})
	}
	h.send(&ImagesDecoded{Split: protocol.SplitUnlabeled, Images: imgs})
	h.await("DataLoaded", kind(protocol.KindDataLoaded))
	h.send(&protocol.LabelImages{IDs: []int{2, 5}, Class: "cat", Offset: 0})
	d := h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	// Unlabeled thumbnails 0..15 are images 0..15; 2 and 5 are now
	// labeled, at the end of the pool (28, 29), and so are the labeled
	// thumbnails 16 and 17 of the same images.
	for i, th := range d.Thumbs {
		want := i
		switch {
		case i >= 16:
			want = 28 + i - 16
		case i == 2 || i == 5:
			want = map[int]int{2: 28, 5: 29}[i]
		case i > 5:
			want = i - 2
		case i > 2:
			want = i - 1
		}
		if th.Pool != want {
			t.Errorf("thumbnail %d (class %d): pool %d, want %d", i, th.Class, th.Pool, want)
		}
	}
	p := h.await("UnlabeledPage", kind(protocol.KindUnlabeledPage)).(*protocol.UnlabeledPage)
	for i, it := range p.Items {
		if it.Pool != i {
			t.Errorf("page item %d (id %d): pool %d", i, it.ID, it.Pool)
		}
	}
	// The neighbours of a labeled thumbnail find it by its pool index.
	h.send(&protocol.ShowNeighbours{Pool: d.Thumbs[len(d.Thumbs)-1].Pool})
	n := h.await("Neighbours", kind(protocol.KindNeighbours)).(*protocol.Neighbours)
	if n.Query.Class != 0 || n.Query.Pool != 29 {
		t.Errorf("query %+v, want class 0 (cat) at pool 29", n.Query)
	}
}

func TestFiltersDuringPretraining(t *testing.T) {
	h := pretrained(t, false)
	h.send(&protocol.StartPretrain{Task: "rotation", Samples: 64, Batch: 16, LR: 0.05, Seed: 1})
	f := h.await("Filters", kind(protocol.KindFilters)).(*protocol.Filters)
	if f.Count != 16 || f.Size != 3 || f.Columns != 8 || f.Step <= 0 {
		t.Fatalf("filters %+v, want 16 of 3×3 in 8 columns", f)
	}
	img, err := png.Decode(bytes.NewReader(f.PNG))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 8*4-1 || b.Dy() != 2*4-1 {
		t.Errorf("grid %v, want 31×7 (two rows of eight 3×3 filters, 1-pixel gaps)", b)
	}
}

// The kNN monitor reports during pretraining when labeled images of two
// classes exist, and never without labels.
func TestKNNMonitor(t *testing.T) {
	rng := rand.New(rand.NewPCG(2, 2))
	var unlabeled []Decoded
	for i := range 16 {
		unlabeled = append(unlabeled, Decoded{Name: "u.png", Image: synthImage(i%2, rng)})
	}
	for _, tc := range []struct {
		name    string
		load    protocol.Msg
		monitor bool
	}{
		{"demo with labels", &protocol.LoadDemo{}, true},
		{"unlabeled uploads", &ImagesDecoded{Split: protocol.SplitUnlabeled, Images: unlabeled}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := &memStore{}
			h := start(t, store)
			h.send(tc.load)
			h.await("DataLoaded", kind(protocol.KindDataLoaded))
			h.send(&protocol.StartPretrain{Task: "rotation", Samples: 8 * 80, Batch: 8, LR: 0.05, Seed: 1})
			var got []float64
			for {
				p := h.await("progress", kind(protocol.KindProgress)).(*protocol.Progress)
				if p.KNNAccuracy != 0 {
					got = append(got, p.KNNAccuracy)
					if p.KNNAccuracy < 0 || p.KNNAccuracy > 1 {
						t.Errorf("kNN accuracy %v at step %d", p.KNNAccuracy, p.Step)
					}
				}
				if p.State == protocol.StateDone {
					break
				}
			}
			if tc.monitor != (len(got) > 0) {
				t.Fatalf("kNN accuracies %v; want some: %v", got, tc.monitor)
			}
			// 16 labeled images in chunks of 8: 3 calls a measurement, so
			// one every 30 steps (monitorGap), from the first step.
			if tc.monitor && (len(got) < 2 || len(got) > 4) {
				t.Errorf("%d kNN measurements in 80 steps, want about 3 (one every 30 steps)", len(got))
			}
			h.await("Saved", kind(protocol.KindSaved))
			pk, _, _, _ := store.Load()
			m, err := protocol.Decode(pk)
			if err != nil {
				t.Fatal(err)
			}
			knn := 0
			for _, c := range m.(*protocol.Snapshot).Curves {
				for _, pt := range c.Points {
					if pt.KNN >= 0 {
						knn++
					}
				}
			}
			if knn != len(got) {
				t.Errorf("autosaved history holds %d kNN points, %d were reported", knn, len(got))
			}
		})
	}
}

// While a job runs, the features are computed a chunk (one batch) at a
// time between training steps: between a request and its answer, the
// pretraining keeps reporting new steps, one report per chunk.
func TestFeaturesInChunksBetweenSteps(t *testing.T) {
	h := pretrained(t, false)
	h.send(&protocol.StartPretrain{Task: "rotation", Samples: 1 << 30, Batch: 8, Seed: 1})
	h.await("running", kind(protocol.KindProgress))
	h.send(&protocol.ShowUnlabeled{}) // marks where the request is handled
	h.send(&protocol.ShowFeatureMap{})
	h.await("UnlabeledPage", kind(protocol.KindUnlabeledPage))
	var steps []int
	for {
		m := h.await("FeatureMap", func(m protocol.Msg) bool {
			return m.Kind() == protocol.KindFeatureMap || m.Kind() == protocol.KindProgress
		})
		if p, ok := m.(*protocol.Progress); ok {
			steps = append(steps, p.Step)
			continue
		}
		break
	}
	// 32 images a trunk in chunks of 8 (the batch): 8 chunks, each after
	// a chunk of steps and its report.
	if len(steps) < 8 {
		t.Fatalf("%d progress reports between the request and the map (steps %v), want at least 8: one per chunk", len(steps), steps)
	}
	for i := 1; i < len(steps); i++ {
		if steps[i] <= steps[i-1] {
			t.Fatalf("training did not advance between chunks: steps %v", steps)
		}
	}
	h.send(&protocol.Stop{})
	h.await("Saved", kind(protocol.KindSaved))
}

// The filters grid holds each filter of insight.Filters at its place,
// mid-grey between them.
func TestFiltersGrid(t *testing.T) {
	trunk, err := New(&fakeEnv{memStore: &memStore{}}, DefaultTiming()).beforeTrunk(synthDemo().Unlabeled)
	if err != nil {
		t.Fatal(err)
	}
	f := filtersOf(trunk, 7)
	img, err := png.Decode(bytes.NewReader(f.PNG))
	if err != nil {
		t.Fatal(err)
	}
	c := insight.FirstConv(trunk)
	tiles := insight.Filters(c.Weight.Value, c.OutC, c.InC, c.K)
	for _, tc := range []struct {
		x, y int
		want [3]uint8
	}{
		{0, 0, px(tiles[0], 0, 0)},
		{2, 2, px(tiles[0], 2, 2)},
		{3, 0, [3]uint8{128, 128, 128}}, // gap after the first column
		{4, 1, px(tiles[1], 0, 1)},
		{29, 6, px(tiles[15], 1, 2)},
		{5, 3, [3]uint8{128, 128, 128}}, // gap between the rows
		{4, 5, px(tiles[9], 0, 1)},
	} {
		r, g, b, _ := img.At(tc.x, tc.y).RGBA()
		if got := [3]uint8{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8)}; got != tc.want {
			t.Errorf("pixel (%d, %d) = %v, want %v", tc.x, tc.y, got, tc.want)
		}
	}
}

func px(img *pretext.Image, x, y int) [3]uint8 {
	i := 3 * (y*img.Width + x)
	return [3]uint8(img.Pix[i : i+3])
}

// While idle the session computes the features ahead of any request
// (warmWork), so the first ShowNeighbours is answered at once, inside its
// own Handle, with no background work left to do.
func TestInsightWarmsWhileIdle(t *testing.T) {
	env := &fakeEnv{memStore: &memStore{}, out: make(chan protocol.Msg, 1000), demo: synthDemo()}
	s := New(env, Timing{Chunk: time.Millisecond})
	s.Handle(&protocol.LoadDemo{})
	chunks := 0
	for s.warmWork(4) {
		chunks++
	}
	pool := s.data.pool()
	if want := (len(pool) + 3) / 4; chunks != want || !s.insight.beforeF.complete(pool) {
		t.Fatalf("warmed in %d chunks of 4 (want %d for %d images); complete %v", chunks, want, len(pool), s.insight.beforeF.complete(pool))
	}
	for len(env.out) > 0 {
		<-env.out
	}
	s.Handle(&protocol.ShowNeighbours{Pool: 5})
	select {
	case m := <-env.out:
		if n, ok := m.(*protocol.Neighbours); !ok || len(n.Before) != protocol.NeighbourCount {
			t.Fatalf("first answer %T %+v, want Neighbours with %d before", m, m, protocol.NeighbourCount)
		}
	default:
		t.Fatal("ShowNeighbours was not answered at once after warming")
	}
	if s.warmWork(4) || len(s.insight.pending) != 0 {
		t.Error("work left after warming and answering")
	}
}
