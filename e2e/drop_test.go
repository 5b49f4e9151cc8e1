//go:build e2e

package e2e

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
)

// drop drags paths from the "desktop" onto the element with this id.
func (b *browser) drop(id string, paths []string) {
	b.t.Helper()
	box := eval[[]float64](b, fmt.Sprintf(`(() => { const r = document.getElementById(%q).getBoundingClientRect();
		return [r.x + r.width / 2, r.y + r.height / 2] })()`, id))
	data := &input.DragData{Files: paths, DragOperationsMask: 1}
	for _, typ := range []input.DispatchDragEventType{input.DispatchDragEventTypeDragEnter, input.DispatchDragEventTypeDragOver, input.DispatchDragEventTypeDrop} {
		if _, err := chromedp.Call(b.ctx, input.DispatchDragEvent, input.DispatchDragEventParams{Type: typ, X: box[0], Y: box[1], Data: data}); err != nil {
			b.t.Fatalf("drag %s: %v", typ, err)
		}
	}
}

// Dropping image files on the unlabeled zone loads them, as picking does;
// dropping a folder on the labeled zone walks it, subfolders being classes.
func TestDropFiles(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i := range 3 {
		name := filepath.Join(dir, fmt.Sprintf("drop%d.png", i))
		writePNG(t, name, 32, 32, uint64(30+i))
		files = append(files, name)
	}
	b := newBrowser(t, "")
	b.open()
	b.drop("drop-unlabeled", files)
	b.waitJS("the dropped images", `document.querySelector('[data-testid=image-count]').textContent == "3"`, 30*time.Second)

	pets := filepath.Join(t.TempDir(), "pets")
	for i := range 2 {
		writePNG(t, filepath.Join(pets, "cat", fmt.Sprintf("c%d.png", i)), 32, 32, uint64(40+i))
		writePNG(t, filepath.Join(pets, "dog", fmt.Sprintf("d%d.png", i)), 32, 32, uint64(50+i))
	}
	writePNG(t, filepath.Join(pets, "dog", "more", "d9.png"), 32, 32, 59)
	b.drop("drop-labeled", []string{pets})
	b.waitJS("the dropped folder", `document.querySelector('[data-testid=image-count]').textContent == "8"`, 30*time.Second)
	if got := b.text("class-counts"); got != "cat 2dog 3" {
		t.Errorf("class counts %q, want cat 2 and dog 3 (dog/more belongs to dog)", got)
	}
	b.noErrors()
}
