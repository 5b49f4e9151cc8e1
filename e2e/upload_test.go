//go:build e2e

package e2e

import (
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// writePNG writes a w×h PNG of random blocks drawn from seed.
func writePNG(t *testing.T, name string, w, h int, seed uint64) {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			if x%8 == 0 && y%8 == 0 {
				img.Set(x, y, color.RGBA{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256)), 255})
			} else {
				img.Set(x, y, img.At(x-x%8, y-y%8))
			}
		}
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// Uploading generated PNGs plus a corrupt file: the corrupt one is listed
// with its reason in file-errors, the others load; a folder of class
// subfolders gives labeled images.
func TestUploadImages(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for i := range 6 {
		name := filepath.Join(dir, fmt.Sprintf("img%d.png", i))
		writePNG(t, name, 24+8*i, 40, uint64(i))
		files = append(files, name)
	}
	corrupt := filepath.Join(dir, "corrupt.png")
	if err := os.WriteFile(corrupt, []byte("\x89PNG\r\n\x1a\nthis is not really a PNG"), 0o644); err != nil {
		t.Fatal(err)
	}
	files = append(files, corrupt)

	b := newBrowser(t, "")
	b.open()
	b.do("upload", chromedp.SetUploadFiles(chromedp.CSS(sel("upload-unlabeled")), files))
	b.waitJS("the upload", `document.querySelector('[data-testid=file-errors]').children.length > 0`, 30*time.Second)
	if n := b.number("image-count"); n != 6 {
		t.Errorf("image-count %v, want the 6 good PNGs", n)
	}
	errs := b.text("file-errors")
	t.Logf("file-errors: %s", errs)
	if !strings.Contains(errs, "corrupt.png") || strings.Contains(errs, "img") {
		t.Errorf("file-errors = %q, want only corrupt.png", errs)
	}
	if n := eval[int](b, `document.querySelectorAll('[data-testid=file-errors] li').length`); n != 1 {
		t.Errorf("%d rejected files listed, want 1", n)
	}

	// A labeled folder: pets/cat/*.png and pets/dog/*.png.
	pets := filepath.Join(t.TempDir(), "pets")
	for i := range 4 {
		writePNG(t, filepath.Join(pets, "cat", fmt.Sprintf("c%d.png", i)), 32, 32, uint64(10+i))
		writePNG(t, filepath.Join(pets, "dog", fmt.Sprintf("d%d.png", i)), 32, 32, uint64(20+i))
	}
	b.do("upload a folder", chromedp.SetUploadFiles(chromedp.CSS(sel("upload-labeled")), []string{pets}))
	b.waitJS("the labeled images", `document.querySelector('[data-testid=image-count]').textContent == "14"`, 30*time.Second)
	if got := b.text("class-counts"); got != "cat 4dog 4" {
		t.Errorf("class counts %q, want cat 4, dog 4", got)
	}

	// Label two of the unlabeled images by hand.
	b.do("open the labeler", chromedp.Click(chromedp.CSS(sel("label-panel")+" summary")))
	b.click("label-show")
	b.waitJS("the unlabeled page", `document.querySelectorAll('[data-testid=label-thumb]').length == 6`, 10*time.Second)
	b.do("select two", chromedp.Click(chromedp.CSS(sel("label-thumb")+":nth-child(2)")),
		chromedp.Click(chromedp.CSS(sel("label-thumb")+":nth-child(5)")))
	b.waitJS("the selection", `document.querySelectorAll('[data-testid=label-thumb].selected').length == 2`, 5*time.Second)
	b.setValue("label-class", "bird")
	b.click("label-apply")
	b.waitJS("the hand labels", `document.querySelectorAll('[data-testid=label-thumb]').length == 4`, 10*time.Second)
	if got := b.text("class-counts"); got != "bird 2cat 4dog 4" {
		t.Errorf("class counts %q, want bird 2, cat 4, dog 4", got)
	}
	if n := b.number("image-count"); n != 14 {
		t.Errorf("image-count %v after labeling, want still 14", n)
	}
	b.noErrors()
}
