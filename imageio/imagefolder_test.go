package imageio

import (
	"bytes"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// folderFile is one file of a generated dataset folder.
type folderFile struct {
	path   string   // slash path under the root
	data   []byte   //
	color  [3]uint8 // solid color of a good image
	reason string   // for a bad file: text its FileError must contain; "" if it loads or is skipped silently
	loads  bool
}

// testFolder describes a dataset folder holding good images of every format,
// broken ones, and junk that must be skipped silently.
func testFolder(t *testing.T) []folderFile {
	rgb := func(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }
	good := encodeJPEG(t, solidRGBA(48, 40, rgb(10, 200, 10)), 95)
	return []folderFile{
		{path: "cat/a.png", data: encodePNG(t, solidRGBA(20, 30, rgb(200, 0, 0))), color: [3]uint8{200, 0, 0}, loads: true},
		{path: "cat/b.JPG", data: encodeJPEG(t, solidRGBA(50, 40, rgb(0, 0, 200)), 95), color: [3]uint8{0, 0, 200}, loads: true},
		{path: "cat/deeper/c.gif", data: palettedGIF(t, solidRGBA(9, 9, rgb(255, 255, 0))), color: [3]uint8{255, 255, 0}, loads: true},
		{path: "cat/noext", data: encodePNG(t, solidRGBA(8, 8, rgb(0, 255, 255))), color: [3]uint8{0, 255, 255}, loads: true},
		{path: "cat/d.webp", data: solidWebP(12, 12, color.NRGBA{7, 77, 177, 255}, nil), color: [3]uint8{7, 77, 177}, loads: true},
		{path: "cat/.DS_Store", data: []byte("\x00\x00\x00\x01Bud1 junk")},
		{path: "cat/._a.png", data: []byte("\x00\x05\x16\x07 AppleDouble")},
		{path: "cat/notes.txt", data: []byte("these are cats")},
		{path: "cat/.thumbs/x.png", data: []byte("hidden folder")},
		{path: "dog/x.png", data: encodePNG(t, solidRGBA(16, 16, rgb(10, 20, 30))), color: [3]uint8{10, 20, 30}, loads: true},
		{path: "dog/y.jpeg", data: good, color: [3]uint8{10, 200, 10}, loads: true},
		{path: "dog/corrupt.png", data: append(pngHeaderOnly(8, 8), pngChunk("IDAT", []byte("garbage"))...), reason: "corrupt PNG"},
		{path: "dog/truncated.jpg", data: good[:len(good)*2/3], reason: "truncated JPEG"},
		{path: "dog/empty.jpg", data: []byte{}, reason: "empty file"},
		{path: "dog/text.jpg", data: []byte("I am a text file"), reason: "not a JPEG, PNG, GIF or WebP image"},
		{path: "dog/photo.heic", data: []byte("\x00\x00\x00\x18ftypheic"), reason: "HEIC/HEIF images are not supported"},
		{path: "nothing/readme.txt", data: []byte("no images here")},
		{path: "loose.png", data: encodePNG(t, solidRGBA(8, 8, rgb(1, 1, 1))), reason: "not inside a class folder"},
		{path: "README.md", data: []byte("# dataset")},
		{path: ".hidden/z.png", data: encodePNG(t, solidRGBA(8, 8, rgb(2, 2, 2)))},
	}
}

func writeFolder(t *testing.T, files []folderFile) string {
	root := t.TempDir()
	for _, f := range files {
		p := filepath.Join(root, filepath.FromSlash(f.path))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// checkFolder checks a dataset loaded from testFolder: what loads, in which
// order, with which labels and colors, and that each bad file is reported
// once under its path with its reason.
func checkFolder(t *testing.T, files []folderFile, d *Dataset, errs []FileError, pathOf func(string) string, labeled bool) {
	t.Helper()
	var want []folderFile
	for _, f := range files {
		if f.loads && (!labeled || strings.Contains(f.path, "/")) {
			want = append(want, f)
		}
	}
	slices.SortFunc(want, func(a, b folderFile) int { return strings.Compare(a.path, b.path) })
	if labeled && !slices.Equal(d.Classes, []string{"cat", "dog", "nothing"}) {
		t.Errorf("classes %q, want [cat dog nothing]", d.Classes)
	}
	if d.Len() != len(want) || len(d.Names) != len(want) {
		t.Fatalf("loaded %d images %q, want %d", d.Len(), d.Names, len(want))
	}
	for i, f := range want {
		if d.Names[i] != f.path {
			t.Errorf("image %d is %q, want %q", i, d.Names[i], f.path)
		}
		m := d.Images[i]
		if m.Width != 16 || m.Height != 16 {
			t.Errorf("%s: %d×%d, want 16×16", f.path, m.Width, m.Height)
		}
		if p := pixel(m, 8, 8); !near(p, f.color, 4) {
			t.Errorf("%s: color %v, want %v", f.path, p, f.color)
		}
		if labeled {
			class, _, _ := strings.Cut(f.path, "/")
			if got := d.Classes[d.Labels[i]]; got != class {
				t.Errorf("%s: class %q, want %q", f.path, got, class)
			}
		}
	}
	if !labeled && (d.Labels != nil || d.Classes != nil) {
		t.Errorf("unlabeled pool has labels %v, classes %v", d.Labels, d.Classes)
	}
	// Every bad file is reported exactly once, and nothing else is, except
	// the empty class of a labeled set.
	reported := map[string]string{}
	for _, e := range errs {
		if _, dup := reported[e.Path]; dup {
			t.Errorf("%s reported twice", e.Path)
		}
		reported[e.Path] = e.Error()
	}
	for _, f := range files {
		if f.reason == "" || (!labeled && f.path == "loose.png") {
			continue
		}
		msg, ok := reported[pathOf(f.path)]
		if !ok {
			t.Errorf("%s not reported", f.path)
			continue
		}
		if !strings.HasPrefix(msg, pathOf(f.path)+": ") || !strings.Contains(msg, f.reason) {
			t.Errorf("%s reported as %q, want a reason containing %q", f.path, msg, f.reason)
		}
		delete(reported, pathOf(f.path))
	}
	if labeled {
		if msg, ok := reported[pathOf("nothing")]; !ok || !strings.Contains(msg, "no loadable images") {
			t.Errorf("empty class folder: reported %q, want \"no loadable images\"", msg)
		}
		delete(reported, pathOf("nothing"))
	}
	for p, msg := range reported {
		t.Errorf("unexpected report for %s: %q", p, msg)
	}
}

func TestLoadImageFolder(t *testing.T) {
	files := testFolder(t)
	root := writeFolder(t, files)
	d, errs, err := LoadImageFolder(root, 16)
	if err != nil {
		t.Fatal(err)
	}
	osPath := func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }
	checkFolder(t, files, d, errs, osPath, true)
	if got := d.CountPerClass(); !slices.Equal(got, []int{5, 2, 0}) {
		t.Errorf("CountPerClass = %v, want [5 2 0]", got)
	}

	// Loading again gives the same images in the same order.
	d2, _, err := LoadImageFolder(root, 16)
	if err != nil {
		t.Fatal(err)
	}
	for i := range d.Images {
		if d2.Names[i] != d.Names[i] || !bytes.Equal(d2.Images[i].Pix, d.Images[i].Pix) {
			t.Fatalf("second load differs at %d (%s)", i, d.Names[i])
		}
	}
}

func TestLoadUnlabeledDir(t *testing.T) {
	files := testFolder(t)
	root := writeFolder(t, files)
	d, errs, err := LoadUnlabeledDir(root, 16)
	if err != nil {
		t.Fatal(err)
	}
	for i := range files {
		if files[i].path == "loose.png" { // outside classes is fine in a pool
			files[i].loads, files[i].color, files[i].reason = true, [3]uint8{1, 1, 1}, ""
		}
	}
	checkFolder(t, files, d, errs, func(p string) string { return filepath.Join(root, filepath.FromSlash(p)) }, false)
}

// The in-memory loaders (the browser's folder picker) agree with the disk ones.
func TestFromFiles(t *testing.T) {
	files := testFolder(t)
	var mem []File
	for _, f := range slices.Backward(files) { // order must not matter
		mem = append(mem, File{Path: f.path, Data: f.data})
	}
	d, errs, err := ImageFolderFromFiles(mem, 16)
	if err != nil {
		t.Fatal(err)
	}
	// No folder holds only a readme in memory: "nothing" is still a class.
	checkFolder(t, files, d, errs, func(p string) string { return p }, true)

	u, uerrs, err := UnlabeledFromFiles(mem, 16)
	if err != nil {
		t.Fatal(err)
	}
	for i := range files {
		if files[i].path == "loose.png" {
			files[i].loads, files[i].color, files[i].reason = true, [3]uint8{1, 1, 1}, ""
		}
	}
	checkFolder(t, files, u, uerrs, func(p string) string { return p }, false)
}

// Problems with the whole folder are errors; the per-file reports still come back.
func TestLoadFatal(t *testing.T) {
	t.Run("missing", func(t *testing.T) {
		missing := filepath.Join(t.TempDir(), "nope")
		if _, _, err := LoadImageFolder(missing, 16); err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("missing folder: error %v, want one naming it", err)
		}
		if _, _, err := LoadUnlabeledDir(missing, 16); err == nil || !strings.Contains(err.Error(), "nope") {
			t.Errorf("missing pool: error %v, want one naming it", err)
		}
	})
	t.Run("no classes", func(t *testing.T) {
		root := writeFolder(t, []folderFile{{path: "a.png", data: encodePNG(t, solidRGBA(4, 4, color.RGBA{A: 255}))}})
		_, errs, err := LoadImageFolder(root, 16)
		if err == nil || !strings.Contains(err.Error(), "no class subfolders") {
			t.Errorf("error %v, want \"no class subfolders\"", err)
		}
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), "not inside a class folder") {
			t.Errorf("reports %v, want the loose image", errs)
		}
	})
	t.Run("nothing loads", func(t *testing.T) {
		root := writeFolder(t, []folderFile{{path: "c/a.jpg", data: []byte("x")}, {path: "c/b.png", data: nil}})
		_, errs, err := LoadImageFolder(root, 16)
		if err == nil || !strings.Contains(err.Error(), "no loadable images") {
			t.Errorf("error %v, want \"no loadable images\"", err)
		}
		if len(errs) != 2 {
			t.Errorf("reports %v, want both files", errs)
		}
		if _, _, err := UnlabeledFromFiles(nil, 16); err == nil || !strings.Contains(err.Error(), "no image files") {
			t.Errorf("no files: error %v, want \"no image files\"", err)
		}
	})
	t.Run("bad size", func(t *testing.T) {
		if _, _, err := LoadImageFolder(t.TempDir(), 0); err == nil {
			t.Error("size 0 accepted")
		}
	})
}

// A class whose name extends another's with a character that sorts before
// "/" ("cat-big" and "cat", "0.0" and "0") once made the classes come out
// unsorted and the labels wrong (found by FuzzImageFolderFromFiles).
func TestImageFolderFromFilesPrefixClasses(t *testing.T) {
	red, blue := encodePNG(t, solidRGBA(4, 4, color.RGBA{255, 0, 0, 255})), encodePNG(t, solidRGBA(4, 4, color.RGBA{0, 0, 255, 255}))
	d, errs, err := ImageFolderFromFiles([]File{{Path: "cat/a.png", Data: red}, {Path: "cat-big/b.png", Data: blue}, {Path: "cat/c.png", Data: red}}, 4)
	if err != nil || len(errs) != 0 {
		t.Fatal(err, errs)
	}
	if !slices.Equal(d.Classes, []string{"cat", "cat-big"}) {
		t.Fatalf("classes %q", d.Classes)
	}
	for i, name := range d.Names {
		if want := strings.SplitN(name, "/", 2)[0]; d.Classes[d.Labels[i]] != want {
			t.Errorf("%s labelled %q", name, d.Classes[d.Labels[i]])
		}
	}
}
