package trainer

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Every registered pretext task trains in the session and renders its live
// examples with a caption saying what the model answered (the captions'
// spelling is tested in pretext).
func TestEveryTaskRendersExamples(t *testing.T) {
	for _, task := range pretext.Names() {
		t.Run(task, func(t *testing.T) {
			h := start(t, &memStore{})
			h.send(&protocol.LoadDemo{})
			h.await("DataLoaded", kind("DataLoaded"))
			h.send(&protocol.StartPretrain{Task: task, Samples: 16, Batch: 8, Seed: 1})
			ex := h.await("Examples", kind("Examples")).(*protocol.Examples)
			if ex.Task != task || len(ex.Items) == 0 {
				t.Fatalf("examples %+v", ex)
			}
			for _, it := range ex.Items {
				if it.Caption == "" {
					t.Errorf("example without a caption")
				}
				img, err := png.Decode(bytes.NewReader(it.PNG))
				if err != nil || img.Bounds().Dx() < ImageSize/2 {
					t.Errorf("rendered example: %v, bounds %v", err, img.Bounds())
				}
			}
			h.await("ModelState", kind("ModelState"))
		})
	}
}

// A caption is the task's own (pretext.Task.Caption), and empty for an
// example without a prediction.
func TestCaption(t *testing.T) {
	for _, tc := range []struct {
		task pretext.Task
		e    train.Example
		want string
	}{
		{pretext.NewContext(ImageSize), train.Example{Target: []int{1}, Pred: []int{0}}, "predicted top left, true top"},
		{pretext.NewRotation(ImageSize), train.Example{Target: []int{0}, Pred: []int{1}}, "predicted 90°, true 0°"},
		{pretext.NewRotation(ImageSize), train.Example{Target: []int{0}}, ""},
	} {
		if got := caption(tc.task, tc.e); got != tc.want {
			t.Errorf("%s %+v: caption %q, want %q", tc.task.Name(), tc.e, got, tc.want)
		}
	}
}
