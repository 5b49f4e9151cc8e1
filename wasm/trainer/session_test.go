package trainer

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// memStore is a Store in memory.
type memStore struct {
	mu     sync.Mutex
	snap   protocol.Packet
	models map[string][]byte
	ok     bool
}

func (m *memStore) Save(p protocol.Packet, models map[string][]byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.snap, m.models, m.ok = p, models, true
	return nil
}

func (m *memStore) Load() (protocol.Packet, map[string][]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.snap, m.models, m.ok, nil
}

func (m *memStore) Clear() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ok = false
	return nil
}

// fakeEnv records posted messages on a channel. Its replicas are
// goroutines (parallel_test.go); live counts the running ones.
type fakeEnv struct {
	*memStore
	out        chan protocol.Msg
	demo       *imageio.DemoSet
	noReplicas bool // Replicas fails, as in a page without shared memory
	live       atomic.Int32
	group      atomic.Pointer[localReplicas] // the latest replica group
	onProgress func(*protocol.Progress)      // called in the session's goroutine
}

func (e *fakeEnv) Post(m protocol.Msg) {
	if p, ok := m.(*protocol.Progress); ok && e.onProgress != nil {
		e.onProgress(p)
	}
	e.out <- m
}
func (e *fakeEnv) FetchDemo() (*imageio.DemoSet, error) {
	if e.demo == nil {
		return nil, errors.New("no demo here")
	}
	return e.demo, nil
}

// harness runs a session and lets a test send messages and await answers.
type harness struct {
	t     *testing.T
	env   *fakeEnv
	inbox chan protocol.Msg
	stop  func()
}

func start(t *testing.T, store *memStore) *harness {
	env := &fakeEnv{memStore: store, out: make(chan protocol.Msg, 1000), demo: synthDemo()}
	h := &harness{t: t, env: env, inbox: make(chan protocol.Msg, 10)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		New(env, Timing{Chunk: time.Millisecond, ProgressEvery: 0}).Run(ctx, h.inbox)
		close(done)
	}()
	h.stop = func() { cancel(); <-done }
	t.Cleanup(h.stop)
	return h
}

func (h *harness) send(m protocol.Msg) { h.inbox <- m }

// await returns the first posted message for which match is true; an Error
// message fails the test unless match accepts it.
func (h *harness) await(what string, match func(protocol.Msg) bool) protocol.Msg {
	h.t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		select {
		case m := <-h.env.out:
			if match(m) {
				return m
			}
			if e, ok := m.(*protocol.Error); ok {
				h.t.Fatalf("waiting for %s: worker error: %s", what, e.Message)
			}
		case <-timeout:
			h.t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func kind(k string) func(protocol.Msg) bool {
	return func(m protocol.Msg) bool { return m.Kind() == k }
}

// synthImage draws class 0 as horizontal stripes and class 1 as vertical
// ones, in random colours, so a classifier has something to learn.
func synthImage(class int, rng *rand.Rand) *pretext.Image {
	img := pretext.NewImage(ImageSize, ImageSize)
	c := [3]uint8{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))}
	for y := range ImageSize {
		for x := range ImageSize {
			v := y
			if class == 1 {
				v = x
			}
			if (v/4)%2 == 0 {
				copy(img.Pix[3*(y*ImageSize+x):], c[:])
			}
		}
	}
	return img
}

func synthDemo() *imageio.DemoSet {
	rng := rand.New(rand.NewPCG(1, 2))
	d := &imageio.DemoSet{Classes: []string{"horizontal", "vertical"}}
	for i := range 16 {
		d.Unlabeled = append(d.Unlabeled, synthImage(i%2, rng))
		d.Labeled = append(d.Labeled, synthImage(i%2, rng))
		d.LabeledY = append(d.LabeledY, i%2)
		d.Test = append(d.Test, synthImage(i%2, rng))
		d.TestY = append(d.TestY, i%2)
	}
	return d
}

func TestUploadsAndFileErrors(t *testing.T) {
	h := start(t, &memStore{})
	rng := rand.New(rand.NewPCG(3, 4))
	h.send(&ImagesDecoded{Split: protocol.SplitUnlabeled, Images: []Decoded{
		{Name: "a.png", Image: synthImage(0, rng)},
		{Name: "broken.png", Err: errors.New("not an image")},
		{Name: "b.png", Image: synthImage(1, rng)},
	}})
	d := h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	if d.Unlabeled != 2 || len(d.FileErrors) != 1 || d.FileErrors[0].Name != "broken.png" ||
		!strings.Contains(d.FileErrors[0].Reason, "not an image") {
		t.Fatalf("after unlabeled upload: %+v", d)
	}
	h.send(&ImagesDecoded{Split: protocol.SplitLabeled, Root: "pets/", Images: []Decoded{
		{Name: "pets/dog/2.png", Image: synthImage(1, rng)},
		{Name: "pets/cat/1.png", Image: synthImage(0, rng)},
		{Name: "pets/dog/3.png", Image: synthImage(1, rng)},
		{Name: "pets/top.png", Image: synthImage(1, rng)},
		{Name: "pets/cat/small.png", Image: pretext.NewImage(8, 8)},
	}})
	d = h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	if d.Labeled != 3 || d.Unlabeled != 2 || len(d.FileErrors) != 3 {
		t.Fatalf("after labeled upload: %+v", d)
	}
	if strings.Join(d.Classes, ",") != "cat,dog" || d.PerClass[0] != 1 || d.PerClass[1] != 2 {
		t.Errorf("classes %v per class %v, want cat,dog and [1 2]", d.Classes, d.PerClass)
	}
	if len(d.Thumbs) != 5 {
		t.Errorf("%d thumbnails, want 5", len(d.Thumbs))
	}
	// Classes are sorted whatever the file order: dog came first, cat is 0.
	for _, th := range d.Thumbs[2:] {
		if th.Class != 0 && th.Class != 1 {
			t.Errorf("thumbnail class %d", th.Class)
		}
	}
	if d.Thumbs[2].Class != 1 || d.Thumbs[3].Class != 0 {
		t.Errorf("thumbnail classes %d, %d, want dog=1 then cat=0", d.Thumbs[2].Class, d.Thumbs[3].Class)
	}
}

// The whole flow: demo, pretraining, fine-tuning, model download, and a
// second session (a page reload) restoring it all from the store.
func TestFlowAndRestore(t *testing.T) {
	store := &memStore{}
	h := start(t, store)
	h.send(&protocol.Hello{})
	if r := h.await("Ready", kind(protocol.KindReady)).(*protocol.Ready); r.Restored {
		t.Fatal("empty store restored a run")
	}
	h.send(&protocol.LoadDemo{})
	d := h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	if d.Source != "demo" || d.Labeled != 16 || d.Test != 16 || d.Unlabeled != 16 {
		t.Fatalf("demo: %+v", d)
	}
	h.send(&protocol.StartPretrain{Task: "rotation", Samples: 64, Batch: 16, LR: 0.05, Seed: 1})
	p := h.await("pretrain done", func(m protocol.Msg) bool {
		p, ok := m.(*protocol.Progress)
		return ok && p.State == protocol.StateDone
	}).(*protocol.Progress)
	if p.Step != p.Steps || p.Steps != 4 || p.SamplesPerSec <= 0 {
		t.Errorf("final progress %+v, want 4 of 4 steps and a throughput", p)
	}
	ex := h.await("Examples", kind(protocol.KindExamples)).(*protocol.Examples)
	if len(ex.Items) == 0 || len(ex.Items[0].PNG) == 0 || !strings.Contains(ex.Items[0].Caption, "°") {
		t.Errorf("examples: %+v", ex)
	}
	h.await("Saved", kind(protocol.KindSaved))

	h.send(&protocol.StartFinetune{Mode: protocol.ModeFinetune, Epochs: 1, Batch: 8, LR: 0.05, TestPercent: 20, Seed: 1})
	res := h.await("Results", kind(protocol.KindResults)).(*protocol.Results)
	if len(res.Confusion) != 2 || len(res.PerClassPretrained) != 2 || len(res.Predictions) != 16 {
		t.Fatalf("results: %+v", res)
	}
	n := 0
	for _, row := range res.Confusion {
		for _, v := range row {
			n += v
		}
	}
	if n != 16 {
		t.Errorf("confusion matrix counts %d images, want the 16 test images", n)
	}
	for _, acc := range []float64{res.AccPretrained, res.AccScratch} {
		if acc < 0 || acc > 1 {
			t.Errorf("accuracy %v outside [0, 1]", acc)
		}
	}
	h.await("Saved", kind(protocol.KindSaved))
	h.send(&protocol.SaveModel{})
	model := h.await("Model", kind(protocol.KindModel)).(*protocol.Model)
	if _, info, err := train.LoadModel(model.Name, model.Data); err != nil || len(info.Classes) != 2 {
		t.Fatalf("downloaded model: %v, classes %v", err, info.Classes)
	}
	h.stop()

	// A reload: a fresh session on the same store.
	h2 := start(t, store)
	h2.send(&protocol.Hello{})
	if r := h2.await("Ready", kind(protocol.KindReady)).(*protocol.Ready); !r.Restored {
		t.Fatal("saved run not restored")
	}
	snap := h2.await("Snapshot", kind(protocol.KindSnapshot)).(*protocol.Snapshot)
	if snap.Results == nil || snap.Results.AccPretrained != res.AccPretrained || snap.Model == nil || !snap.Model.Classifier {
		t.Fatalf("restored snapshot: %+v", snap)
	}
	if len(snap.Curves) < 3 {
		t.Errorf("restored %d curves, want pretrain, pretrained and scratch", len(snap.Curves))
	}
	h2.send(&ImageDecoded{Decoded{Name: "mine.png", Image: synthImage(1, rand.New(rand.NewPCG(9, 9)))}})
	c := h2.await("Classified", kind(protocol.KindClassified)).(*protocol.Classified)
	if len(c.Top) != 2 || c.Top[0].P < c.Top[1].P {
		t.Errorf("classified: %+v", c.Top)
	}

	// A new pretraining makes the downstream runs stale (protocol.History):
	// the next autosave holds its curve alone, and no results. (The demo
	// came back with the restore.)
	h2.send(&protocol.StartPretrain{Task: "rotation", Samples: 64, Batch: 16, LR: 0.05, Seed: 2})
	h2.await("Saved", kind(protocol.KindSaved))
	h2.stop()
	h3 := start(t, store)
	h3.send(&protocol.Hello{})
	snap = h3.await("Snapshot", kind(protocol.KindSnapshot)).(*protocol.Snapshot)
	// (A step may repeat with the kNN monitor's measurement: protocol.History.)
	steps := map[int]bool{}
	if len(snap.Curves) == 1 {
		for _, pt := range snap.Curves[0].Points {
			steps[pt.Step] = true
		}
	}
	if len(snap.Curves) != 1 || snap.Curves[0].Phase != protocol.PhasePretrain || len(steps) != 4 ||
		len(snap.Progress) != 1 || snap.Results != nil || snap.Examples == nil {
		t.Errorf("after a new pretraining: curves %+v, progress %+v, results %+v", snap.Curves, snap.Progress, snap.Results)
	}
}

func TestPauseStop(t *testing.T) {
	h := start(t, &memStore{})
	h.send(&protocol.LoadDemo{})
	h.await("DataLoaded", kind(protocol.KindDataLoaded))
	h.send(&protocol.StartPretrain{Task: "rotation", Samples: 1 << 30, Batch: 8, Seed: 1})
	h.await("running", kind(protocol.KindProgress))
	h.send(&protocol.Pause{})
	state := func(s string) func(protocol.Msg) bool {
		return func(m protocol.Msg) bool { p, ok := m.(*protocol.Progress); return ok && p.State == s }
	}
	paused := h.await("paused", state(protocol.StatePaused)).(*protocol.Progress)
	h.send(&protocol.Resume{})
	h.await("resumed", state(protocol.StateRunning))
	h.send(&protocol.Stop{})
	stopped := h.await("stopped", state(protocol.StateStopped)).(*protocol.Progress)
	if stopped.Step < paused.Step || stopped.Step >= stopped.Steps {
		t.Errorf("stopped at step %d of %d (paused at %d)", stopped.Step, stopped.Steps, paused.Step)
	}
	h.await("Saved", kind(protocol.KindSaved)) // a stopped pretraining keeps its trunk
}

type panicJob struct{}

func (panicJob) step() bool { panic("boom") }
func (panicJob) progress() []protocol.Progress {
	return []protocol.Progress{{Phase: protocol.PhasePretrain, Step: 3, Steps: 9}}
}
func (panicJob) tick(*Session)         {}
func (panicJob) finish(*Session) error { return nil }
func (panicJob) close()                {}

// A panic in training becomes an Error message and the session goes on.
func TestPanicIsReported(t *testing.T) {
	env := &fakeEnv{memStore: &memStore{}, out: make(chan protocol.Msg, 100)}
	s := New(env, Timing{Chunk: time.Millisecond})
	s.job = panicJob{}
	inbox := make(chan protocol.Msg, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go s.Run(ctx, inbox)
	m := <-env.out
	if e, ok := m.(*protocol.Error); !ok || !strings.Contains(e.Message, "boom") {
		t.Fatalf("got %#v, want an Error about the panic", m)
	}
	if p, ok := (<-env.out).(*protocol.Progress); !ok || p.State != protocol.StateStopped || p.Step != 3 {
		t.Fatalf("got %#v, want the abandoned phase reported stopped", p)
	}
	inbox <- &protocol.StartPretrain{Task: "rotation"}
	if e, ok := (<-env.out).(*protocol.Error); !ok || !strings.Contains(e.Message, "no images") {
		t.Fatalf("session did not go on after the panic: %#v", e)
	}
}

// Labeled folders follow the command line's rule (imageio.ClassOf): the class
// is the first folder below the chosen one, deeper folders belong to it, and
// files directly in the chosen folder are listed as unused. Two animals
// under "small" stay two classes.
func TestNestedFolders(t *testing.T) {
	h := start(t, &memStore{})
	rng := rand.New(rand.NewPCG(5, 6))
	h.send(&ImagesDecoded{Split: protocol.SplitLabeled, Root: "animals/", Images: []Decoded{
		{Name: "animals/cat/small/1.png", Image: synthImage(0, rng)},
		{Name: "animals/dog/small/2.png", Image: synthImage(1, rng)},
		{Name: "animals/dog/big/huge/3.png", Image: synthImage(1, rng)},
		{Name: "animals/readme.png", Image: synthImage(1, rng)},
	}})
	d := h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	if strings.Join(d.Classes, ",") != "cat,dog" || !slices.Equal(d.PerClass, []int{1, 2}) {
		t.Fatalf("classes %q per class %v, want cat,dog [1 2]", d.Classes, d.PerClass)
	}
	if len(d.FileErrors) != 1 || d.FileErrors[0].Name != "animals/readme.png" || d.FileErrors[0].Reason != imageio.ErrNotInClass.Error() {
		t.Fatalf("file errors %+v, want animals/readme.png as not in a class", d.FileErrors)
	}
	// Dropped class folders themselves: no root, the first folder is the class.
	h.send(&ImagesDecoded{Split: protocol.SplitLabeled, Images: []Decoded{
		{Name: "bird/a/4.png", Image: synthImage(0, rng)},
		{Name: "loose.png", Image: synthImage(0, rng)},
	}})
	d = h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	if strings.Join(d.Classes, ",") != "bird,cat,dog" || len(d.FileErrors) != 2 || d.FileErrors[1].Name != "loose.png" {
		t.Fatalf("after a rootless drop: classes %q, errors %+v", d.Classes, d.FileErrors)
	}
}

// The same picture uploaded again, or in another split, is skipped and
// counted, not added.
func TestDuplicatesSkipped(t *testing.T) {
	h := start(t, &memStore{})
	rng := rand.New(rand.NewPCG(7, 8))
	a, b, c := synthImage(0, rng), synthImage(1, rng), synthImage(0, rng)
	batch := []Decoded{{Name: "a.png", Image: a}, {Name: "b.png", Image: b}, {Name: "c.png", Image: c}}
	h.send(&ImagesDecoded{Split: protocol.SplitUnlabeled, Images: batch})
	d := h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	if d.Unlabeled != 3 || d.Duplicates != 0 {
		t.Fatalf("first upload: %d unlabeled, %d duplicates", d.Unlabeled, d.Duplicates)
	}
	for range 15 { // 45 copies of 3 images, as a user once did
		h.send(&ImagesDecoded{Split: protocol.SplitUnlabeled, Images: batch})
		d = h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	}
	if d.Unlabeled != 3 || d.Duplicates != 45 {
		t.Fatalf("after 15 more uploads: %d unlabeled, %d duplicates; want 3 and 45", d.Unlabeled, d.Duplicates)
	}
	// A copy of a pixel-identical picture in the labeled split is a duplicate too.
	same := pretext.NewImage(ImageSize, ImageSize)
	copy(same.Pix, b.Pix)
	h.send(&ImagesDecoded{Split: protocol.SplitLabeled, Images: []Decoded{{Name: "cls/b-copy.jpg", Image: same}, {Name: "cls/new.png", Image: synthImage(1, rng)}}})
	d = h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	if d.Labeled != 1 || d.Duplicates != 46 {
		t.Fatalf("labeled copy: %d labeled, %d duplicates; want 1 and 46", d.Labeled, d.Duplicates)
	}
}

// Small labeled sets are flagged before training: a class under 5 images, a
// class of one image (nothing to hold out), and with an explicit test set a
// class without test images or without labeled ones.
func TestSmallSetWarnings(t *testing.T) {
	h := start(t, &memStore{})
	rng := rand.New(rand.NewPCG(9, 10))
	var imgs []Decoded
	for i := range 6 {
		imgs = append(imgs, Decoded{Name: fmt.Sprintf("big/%d.png", i), Image: synthImage(0, rng)})
	}
	imgs = append(imgs, Decoded{Name: "one/0.png", Image: synthImage(1, rng)},
		Decoded{Name: "thr\u202Eee/0.png", Image: synthImage(1, rng)}, Decoded{Name: "thr\u202Eee/1.png", Image: synthImage(1, rng)})
	h.send(&ImagesDecoded{Split: protocol.SplitLabeled, Images: imgs})
	d := h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	want := []string{
		"class “one” has 1 labeled image: none can be held out, so its accuracy will not be measured",
		"class “one” has only 1 labeled image: with fewer than 5 per class the results are mostly chance",
		"class “thr\\u202Eee” has only 2 labeled images: with fewer than 5 per class the results are mostly chance",
	}
	if !slices.Equal(d.Warnings, want) {
		t.Fatalf("warnings\n%q\nwant\n%q", d.Warnings, want)
	}
	h.send(&ImagesDecoded{Split: protocol.SplitTest, Images: []Decoded{
		{Name: "big/t.png", Image: synthImage(0, rng)}, {Name: "only-test/t.png", Image: synthImage(1, rng)},
	}})
	d = h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	for _, w := range []string{
		"class “one” has no test image: its accuracy will not be measured",
		"class “only-test” has test images but no labeled image to learn from",
	} {
		if !slices.Contains(d.Warnings, w) {
			t.Errorf("warnings %q lack %q", d.Warnings, w)
		}
	}
}

// A restored run on uploads shows no data (the images are not kept), while
// its model and results come back.
func TestRestoreAfterUploads(t *testing.T) {
	store := &memStore{}
	h := start(t, store)
	rng := rand.New(rand.NewPCG(5, 6))
	var imgs []Decoded
	for i := range 8 {
		imgs = append(imgs, Decoded{Name: "x.png", Image: synthImage(i%2, rng)})
	}
	h.send(&ImagesDecoded{Split: protocol.SplitUnlabeled, Images: imgs})
	h.await("DataLoaded", kind(protocol.KindDataLoaded))
	h.send(&protocol.StartPretrain{Task: "rotation", Samples: 16, Batch: 8, Seed: 1})
	h.await("Saved", kind(protocol.KindSaved))
	h.stop()

	h2 := start(t, store)
	h2.send(&protocol.Hello{})
	h2.await("Ready", kind(protocol.KindReady))
	snap := h2.await("Snapshot", kind(protocol.KindSnapshot)).(*protocol.Snapshot)
	if snap.Data != nil || snap.Model == nil || !snap.Model.Pretrained || len(snap.Curves) == 0 {
		t.Errorf("restored snapshot: data %+v, model %+v, %d curves", snap.Data, snap.Model, len(snap.Curves))
	}
	h2.send(&protocol.StartPretrain{Task: "rotation", Samples: 16})
	if e := h2.await("Error", kind(protocol.KindError)).(*protocol.Error); !strings.Contains(e.Message, "no images") {
		t.Errorf("pretraining without the images: %q", e.Message)
	}
}

// Labeling by hand: pages of unlabeled thumbnails, and images moved into
// the labeled set under a class.
func TestLabelByHand(t *testing.T) {
	h := start(t, &memStore{})
	rng := rand.New(rand.NewPCG(7, 8))
	var imgs []Decoded
	for i := range 30 {
		imgs = append(imgs, Decoded{Name: "u.png", Image: synthImage(i%2, rng)})
	}
	h.send(&ImagesDecoded{Split: protocol.SplitUnlabeled, Images: imgs})
	h.await("DataLoaded", kind(protocol.KindDataLoaded))
	h.send(&protocol.ShowUnlabeled{Offset: 20})
	p := h.await("UnlabeledPage", kind(protocol.KindUnlabeledPage)).(*protocol.UnlabeledPage)
	if p.Total != 30 || p.Offset != 20 || len(p.Items) != 10 || p.Items[0].ID != 20 {
		t.Fatalf("page %+v", p)
	}
	h.send(&protocol.LabelImages{IDs: []int{21, 23, 23, 99}, Class: " dog ", Offset: 20})
	d := h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	if d.Unlabeled != 28 || d.Labeled != 2 || len(d.Classes) != 1 || d.Classes[0] != "dog" {
		t.Fatalf("after labeling: %+v", d)
	}
	p = h.await("UnlabeledPage", kind(protocol.KindUnlabeledPage)).(*protocol.UnlabeledPage)
	if p.Total != 28 || len(p.Items) != 8 {
		t.Fatalf("page after labeling %+v", p)
	}
	for _, it := range p.Items {
		if it.ID == 21 || it.ID == 23 {
			t.Errorf("labeled image %d still offered", it.ID)
		}
	}
	h.send(&protocol.LabelImages{IDs: []int{0}, Class: "cat"})
	d = h.await("DataLoaded", kind(protocol.KindDataLoaded)).(*protocol.DataLoaded)
	if strings.Join(d.Classes, ",") != "cat,dog" || d.PerClass[0] != 1 || d.PerClass[1] != 2 {
		t.Errorf("classes %v per class %v", d.Classes, d.PerClass)
	}
	h.send(&protocol.LabelImages{IDs: []int{1}, Class: "a/b"})
	if e := h.await("Error", kind(protocol.KindError)).(*protocol.Error); !strings.Contains(e.Message, "slash") {
		t.Errorf("error %q", e.Message)
	}
	// Hand-labeled images pretrain like any other.
	h.send(&protocol.StartPretrain{Task: "rotation", Samples: 16, Batch: 8, Seed: 1})
	h.await("ModelState", kind(protocol.KindModelState))
}
