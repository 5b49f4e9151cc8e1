//go:build e2e

package e2e

import (
	"fmt"
	"testing"
	"time"
)

// hooks is the data-testid contract that automated tests rely on.
var hooks = []string{
	"demo", "upload-unlabeled", "upload-labeled", "image-count", "file-errors", "task",
	"pretrain-start", "pretrain-stop", "loss-chart", "examples", "finetune-start",
	"model-download", "model-upload",
}

func TestPageLoads(t *testing.T) {
	b := newBrowser(t, "")
	b.open()
	for _, id := range hooks {
		if !eval[bool](b, fmt.Sprintf(`!!document.querySelector(%q)`, sel(id))) {
			t.Errorf("no element with data-testid %q", id)
		}
	}
	opts := eval[[]string](b, `[...document.querySelectorAll('[data-testid=task] option')].map(o => o.value)`)
	if fmt.Sprint(opts) != "[rotation jigsaw colorization context]" {
		t.Errorf("task options %v", opts)
	}
	if n := b.number("image-count"); n != 0 {
		t.Errorf("image-count %v on a fresh page", n)
	}
	// Let late errors (service worker install, worker start) arrive.
	time.Sleep(2 * time.Second)
	b.noErrors()
}
