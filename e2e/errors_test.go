//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// A failure inside the worker reaches the page: a bogus model file is
// refused with its reason, the page goes on, and the message can be dismissed.
func TestWorkerErrorsShown(t *testing.T) {
	bogus := filepath.Join(t.TempDir(), "bogus.safetensors")
	if err := os.WriteFile(bogus, []byte("\x10\x00\x00\x00\x00\x00\x00\x00{\"a\": 1}       "), 0o644); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, "")
	b.open()
	b.do("upload a bogus model", chromedp.SetUploadFiles(chromedp.CSS(sel("model-upload")), []string{bogus}))
	b.waitJS("the error", `document.querySelector('[data-testid=worker-errors]').textContent.includes('bogus.safetensors')`, 20*time.Second)
	t.Logf("shown: %s", b.text("worker-errors"))
	// The trainer still answers.
	b.click("demo")
	b.waitJS("the demo", `document.querySelector('[data-testid=image-count]').textContent == "14000"`, 90*time.Second)
	b.do("dismiss", chromedp.Click(chromedp.CSS(sel("worker-errors")+" button")))
	b.waitJS("the dismissal", `document.querySelector('[data-testid=worker-errors]').textContent == ""`, 5*time.Second)
}
