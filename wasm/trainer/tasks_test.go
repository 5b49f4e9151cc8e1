package trainer

import (
	"bytes"
	"image/png"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Every pretext task the UI offers trains in the session and renders its
// live examples with a caption saying what the model answered.
func TestEveryTaskRendersExamples(t *testing.T) {
	for _, tc := range []struct{ task, caption string }{
		{"rotation", "°"},
		{"jigsaw", "permutation #"},
		{"colorization", "cells' colours right"},
		{"context", "predicted "},
	} {
		t.Run(tc.task, func(t *testing.T) {
			h := start(t, &memStore{})
			h.send(&protocol.LoadDemo{})
			h.await("DataLoaded", kind("DataLoaded"))
			h.send(&protocol.StartPretrain{Task: tc.task, Samples: 16, Batch: 8, Seed: 1})
			ex := h.await("Examples", kind("Examples")).(*protocol.Examples)
			if ex.Task != tc.task || len(ex.Items) == 0 {
				t.Fatalf("examples %+v", ex)
			}
			for _, it := range ex.Items {
				if !strings.Contains(it.Caption, tc.caption) {
					t.Errorf("caption %q lacks %q", it.Caption, tc.caption)
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
