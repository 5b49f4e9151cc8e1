//go:build e2e

package e2e

import (
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Bad and tricky labeled uploads, generated here, through the real page:
// each bad file is refused with the command line's reason and its name
// shown escaped; nested folders keep their class; a re-upload is counted
// as duplicates; the demo asks before replacing the user's images.
func TestTrustBattery(t *testing.T) {
	root := filepath.Join(t.TempDir(), "animals")
	write := func(rel string, data []byte) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writePNG(t, filepath.Join(root, "cat", "small", "c1.png"), 32, 32, 101)
	writePNG(t, filepath.Join(root, "cat", "small", "c2.png"), 32, 32, 102)
	writePNG(t, filepath.Join(root, "dog", "small", "d1.png"), 32, 32, 103)
	writePNG(t, filepath.Join(root, "dog", "big", "huge", "d2.png"), 32, 32, 104)
	writePNG(t, filepath.Join(root, "loose.png"), 32, 32, 105)
	var jb strings.Builder
	m := image.NewRGBA(image.Rect(0, 0, 64, 64))
	for i := range m.Pix {
		m.Pix[i] = uint8(i * 7)
	}
	m.Set(0, 0, color.RGBA{1, 2, 3, 255})
	if err := jpeg.Encode(&jb, m, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	full := []byte(jb.String())
	write("dog/cut.jpg", full[:len(full)/2])
	write("dog/photo.heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"))
	write("dog/logo.svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>`))
	write("dog/old.bmp", append([]byte("BM"), make([]byte, 60)...))
	write("dog/scan.tif", []byte("II*\x00\x08\x00\x00\x00\x00\x00"))
	write("dog/doc.pdf.jpg", []byte("%PDF-1.4\n"))
	write("dog/invoice\u202Egnp.exe.png", []byte("MZ\x90\x00 not an image"))

	b := newBrowser(t, "")
	b.open()
	b.do("upload the folder", chromedp.SetUploadFiles(chromedp.CSS(sel("upload-labeled")), []string{root}))
	b.waitJS("the upload", `document.querySelector('[data-testid=image-count]').textContent == "4"`, 30*time.Second)
	if got := b.text("class-counts"); got != "cat 2dog 2" {
		t.Errorf("class counts %q, want cat 2 and dog 2 (nested folders belong to their class)", got)
	}
	errs := eval[string](b, `[...document.querySelectorAll('.file-errors li')].map(li => li.textContent).join("\n")`)
	t.Logf("file errors:\n%s", errs)
	for _, want := range []string{
		"animals/loose.png — image is not inside a class folder",
		"animals/dog/cut.jpg — truncated JPEG file",
		"animals/dog/photo.heic — HEIC/HEIF images are not supported",
		"animals/dog/logo.svg — SVG images are not supported",
		"animals/dog/old.bmp — BMP images are not supported",
		"animals/dog/scan.tif — TIFF images are not supported",
		"animals/dog/doc.pdf.jpg — PDF images are not supported",
		`animals/dog/invoice\u202Egnp.exe.png — not a JPEG, PNG, GIF or WebP image`,
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("file errors lack %q", want)
		}
	}
	if strings.ContainsRune(eval[string](b, `document.body.innerText`), '\u202E') {
		t.Error("a raw U+202E is on the page")
	}
	if n := eval[int](b, `document.querySelectorAll('.file-errors li bdi').length`); n != 8 {
		t.Errorf("%d file names isolated in <bdi>, want 8", n)
	}
	if w := b.text("data-warnings"); !strings.Contains(w, "class “cat” has only 2 labeled images") {
		t.Errorf("warnings %q lack the small class", w)
	}

	b.do("upload it again", chromedp.SetUploadFiles(chromedp.CSS(sel("upload-labeled")), []string{root}))
	b.waitJS("the duplicates", `!!document.querySelector('[data-testid=duplicates]')`, 30*time.Second)
	if got := b.text("duplicates"); got != "4 duplicates skipped (the same picture was already loaded)" {
		t.Errorf("duplicates %q", got)
	}
	if n := b.number("image-count"); n != 4 {
		t.Errorf("image-count %v after the re-upload, want 4", n)
	}

	b.click("demo")
	b.waitJS("the question", `!!document.querySelector('[data-testid=confirm]')`, 10*time.Second)
	if got := b.text("confirm-text"); got != "The demo replaces your 4 images (2 classes). Load it anyway?" {
		t.Errorf("question %q", got)
	}
	b.click("confirm-no")
	b.waitJS("the cancel", `!document.querySelector('[data-testid=confirm]')`, 10*time.Second)
	if n := b.number("image-count"); n != 4 {
		t.Errorf("image-count %v after cancelling, want 4", n)
	}
	b.click("demo")
	b.waitJS("the question", `!!document.querySelector('[data-testid=confirm-yes]')`, 10*time.Second)
	b.click("confirm-yes")
	b.waitJS("the demo", `document.querySelector('[data-testid=image-count]').textContent != "4"`, 60*time.Second)
}
