package imageio

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/tessera-ssl/tessera/pretext"
)

// demoTestImage is image i of a test set: a distinct base colour per i plus a
// gentle gradient (tile ≤ 28), so each tile is recognisable after lossy JPEG.
func demoTestImage(i, tile int) *pretext.Image {
	img := pretext.NewImage(tile, tile)
	for y := 0; y < tile; y++ {
		for x := 0; x < tile; x++ {
			p := img.Pix[3*(y*tile+x):]
			p[0] = uint8((i*67)%200 + 2*x) // no wrap-around: stays below 256
			p[1] = uint8((i*29)%200 + 2*y)
			p[2] = uint8((i*113)%200 + x + y)
		}
	}
	return img
}

// tinyDemo is a small demo directory built with the same packing code as
// cmd/mkdemo: 3 classes, unlabeled in two sheets (one with a partial row).
type tinyDemo struct {
	manifest  DemoManifest
	files     fstest.MapFS
	unlabeled []*pretext.Image
	labeled   []*pretext.Image
	test      []*pretext.Image
}

func makeTinyDemo(t *testing.T, format string) *tinyDemo {
	t.Helper()
	const tile, cols = 16, 3
	ext := map[string]string{"png": "png", "jpeg": "jpg"}[format]
	d := &tinyDemo{files: fstest.MapFS{}}
	d.manifest = DemoManifest{Name: "tiny", Classes: []string{"a", "b", "c"}, Tile: tile, Cols: cols, Format: format, Quality: 95}
	n := 0
	next := func(k int) []*pretext.Image {
		imgs := make([]*pretext.Image, k)
		for i := range imgs {
			imgs[i] = demoTestImage(n, tile)
			n++
		}
		return imgs
	}
	addSheet := func(split *DemoSplit, name string, imgs []*pretext.Image) {
		var buf bytes.Buffer
		if err := EncodeDemoSheet(&buf, PackDemoSheet(imgs, cols), format, 95); err != nil {
			t.Fatal(err)
		}
		file := name + "." + ext
		d.files[file] = &fstest.MapFile{Data: buf.Bytes()}
		split.Sheets = append(split.Sheets, DemoSheet{File: file, Count: len(imgs)})
	}
	d.unlabeled = next(8)
	addSheet(&d.manifest.Unlabeled, "unlabeled-0", d.unlabeled[:6])
	addSheet(&d.manifest.Unlabeled, "unlabeled-1", d.unlabeled[6:])
	d.labeled = next(5)
	addSheet(&d.manifest.Labeled, "labeled-0", d.labeled)
	d.manifest.Labeled.Labels = []int{0, 1, 2, 2, 1}
	d.test = next(4)
	addSheet(&d.manifest.Test, "test-0", d.test)
	d.manifest.Test.Labels = []int{2, 0, 1, 0}
	d.files[DemoManifestName] = &fstest.MapFile{Data: d.manifestJSON(t)}
	return d
}

func (d *tinyDemo) manifestJSON(t *testing.T) []byte {
	t.Helper()
	b, err := json.Marshal(d.manifest)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (d *tinyDemo) sheets() map[string][]byte {
	m := map[string][]byte{}
	for name, f := range d.files {
		if name != DemoManifestName {
			m[name] = f.Data
		}
	}
	return m
}

// demoMeanAbsDiff is the mean absolute difference of two equal-size images' bytes.
func demoMeanAbsDiff(a, b *pretext.Image) float64 {
	s := 0
	for i := range a.Pix {
		d := int(a.Pix[i]) - int(b.Pix[i])
		s += max(d, -d)
	}
	return float64(s) / float64(len(a.Pix))
}

func TestDemoRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		format  string
		maxDiff float64 // mean absolute error per byte allowed
	}{{"png", 0}, {"jpeg", 3}} {
		d := makeTinyDemo(t, tc.format)
		dir := t.TempDir()
		for name, f := range d.files {
			if err := os.WriteFile(dir+"/"+name, f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		loaders := map[string]func() (*DemoSet, error){
			"LoadDemo(MapFS)": func() (*DemoSet, error) { return LoadDemo(d.files) },
			"LoadDemo(DirFS)": func() (*DemoSet, error) { return LoadDemo(os.DirFS(dir)) },
			"DecodeDemo(map)": func() (*DemoSet, error) { return DecodeDemo(d.files[DemoManifestName].Data, d.sheets()) },
		}
		for lname, load := range loaders {
			t.Run(tc.format+"/"+lname, func(t *testing.T) {
				got, err := load()
				if err != nil {
					t.Fatal(err)
				}
				if strings.Join(got.Classes, ",") != "a,b,c" {
					t.Errorf("classes %v", got.Classes)
				}
				if fmt.Sprint(got.LabeledY) != "[0 1 2 2 1]" || fmt.Sprint(got.TestY) != "[2 0 1 0]" {
					t.Errorf("labels %v %v", got.LabeledY, got.TestY)
				}
				for _, s := range []struct {
					name      string
					got, want []*pretext.Image
				}{{"unlabeled", got.Unlabeled, d.unlabeled}, {"labeled", got.Labeled, d.labeled}, {"test", got.Test, d.test}} {
					if len(s.got) != len(s.want) {
						t.Fatalf("%s: %d images, want %d", s.name, len(s.got), len(s.want))
					}
					for i := range s.want {
						g := s.got[i]
						if g.Width != 16 || g.Height != 16 || len(g.Pix) != 3*16*16 {
							t.Fatalf("%s[%d]: %dx%d, %d bytes", s.name, i, g.Width, g.Height, len(g.Pix))
						}
						own := demoMeanAbsDiff(g, s.want[i])
						if own > tc.maxDiff {
							t.Errorf("%s[%d]: mean abs diff %.2f > %.2f", s.name, i, own, tc.maxDiff)
						}
						for j := range s.want { // each tile is closest to its own source
							if j != i && demoMeanAbsDiff(g, s.want[j]) <= own {
								t.Errorf("%s[%d] is as close to image %d as to its own", s.name, i, j)
							}
						}
					}
				}
			})
		}
	}
}

func TestPackDemoSheetLayout(t *testing.T) {
	const tile, cols = 8, 3
	imgs := []*pretext.Image{demoTestImage(1, tile), demoTestImage(2, tile), demoTestImage(3, tile), demoTestImage(4, tile)}
	sheet := PackDemoSheet(imgs, cols)
	if b := sheet.Bounds(); b.Dx() != tile*cols || b.Dy() != tile*2 {
		t.Fatalf("sheet %v, want %dx%d", b, tile*cols, tile*2)
	}
	for i, img := range imgs {
		x0, y0 := tile*(i%cols), tile*(i/cols)
		for y := 0; y < tile; y++ {
			for x := 0; x < tile; x++ {
				c := sheet.RGBAAt(x0+x, y0+y)
				p := img.Pix[3*(y*tile+x):]
				if c.R != p[0] || c.G != p[1] || c.B != p[2] || c.A != 255 {
					t.Fatalf("image %d pixel (%d,%d): sheet %v, want %v", i, x, y, c, p[:3])
				}
			}
		}
	}
	for y := tile; y < 2*tile; y++ { // the two unused cells of row 1 are opaque black
		for x := tile; x < 3*tile; x++ {
			if c := sheet.RGBAAt(x, y); c.R|c.G|c.B != 0 || c.A != 255 {
				t.Fatalf("unused pixel (%d,%d) = %v", x, y, c)
			}
		}
	}
}

func TestPackDemoSheetPanics(t *testing.T) {
	for name, f := range map[string]func(){
		"no images":  func() { PackDemoSheet(nil, 2) },
		"zero cols":  func() { PackDemoSheet([]*pretext.Image{pretext.NewImage(4, 4)}, 0) },
		"mixed size": func() { PackDemoSheet([]*pretext.Image{pretext.NewImage(4, 4), pretext.NewImage(5, 5)}, 2) },
		"not square": func() { PackDemoSheet([]*pretext.Image{pretext.NewImage(4, 5)}, 2) },
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			f()
		})
	}
}

func TestLoadDemoErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		edit  func(d *tinyDemo) // changes d.manifest or d.files; the manifest is re-encoded after
		raw   string            // if set, the manifest's bytes instead
		wants []string          // substrings of the error
	}{
		{name: "no manifest", edit: func(d *tinyDemo) {}, raw: "-", wants: []string{"manifest.json", "not exist"}},
		{name: "bad JSON", raw: `{"classes": [`, wants: []string{"manifest.json", "bad JSON"}},
		{name: "unknown field", raw: `{"clases": ["a"]}`, wants: []string{"manifest.json", "bad JSON", "clases"}},
		{name: "no classes", edit: func(d *tinyDemo) { d.manifest.Classes = nil }, wants: []string{"manifest.json", "no classes"}},
		{name: "zero tile", edit: func(d *tinyDemo) { d.manifest.Tile = 0 }, wants: []string{"manifest.json", "tile size 0"}},
		{name: "missing sheet", edit: func(d *tinyDemo) { delete(d.files, "labeled-0.png") }, wants: []string{"labeled-0.png", "missing sheet"}},
		{name: "sheet size vs count", edit: func(d *tinyDemo) { d.manifest.Unlabeled.Sheets[0].Count = 7 },
			wants: []string{"unlabeled-0.png", "sheet is 48x32 pixels, want 48x48", "7 tiles"}},
		{name: "undecodable sheet", edit: func(d *tinyDemo) { d.files["test-0.png"] = &fstest.MapFile{Data: []byte("not an image")} },
			wants: []string{"test-0.png", "decode"}},
		{name: "label out of range", edit: func(d *tinyDemo) { d.manifest.Test.Labels[3] = 3 },
			wants: []string{"manifest.json", "test split", "label 3 of image 3 out of range [0, 3)"}},
		{name: "negative label", edit: func(d *tinyDemo) { d.manifest.Labeled.Labels[0] = -1 }, wants: []string{"labeled split", "label -1"}},
		{name: "too few labels", edit: func(d *tinyDemo) { d.manifest.Labeled.Labels = d.manifest.Labeled.Labels[:4] },
			wants: []string{"labeled split", "4 labels for 5 images"}},
		{name: "escaping file name", edit: func(d *tinyDemo) { d.manifest.Test.Sheets[0].File = "../test-0.png" },
			wants: []string{"manifest.json", `bad sheet file name "../test-0.png"`}},
		{name: "zero count", edit: func(d *tinyDemo) { d.manifest.Test.Sheets[0].Count = 0 }, wants: []string{"test-0.png", "count 0 out of range"}},
		{name: "sheet twice", edit: func(d *tinyDemo) { d.manifest.Test.Sheets[0].File = "labeled-0.png" }, wants: []string{"labeled-0.png", "listed twice"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := makeTinyDemo(t, "png")
			if tc.edit != nil {
				tc.edit(d)
				d.files[DemoManifestName] = &fstest.MapFile{Data: d.manifestJSON(t)}
			}
			if tc.raw == "-" {
				delete(d.files, DemoManifestName)
			} else if tc.raw != "" {
				d.files[DemoManifestName] = &fstest.MapFile{Data: []byte(tc.raw)}
			}
			got, err := LoadDemo(d.files)
			if err == nil {
				t.Fatalf("no error; got %d labeled images", len(got.Labeled))
			}
			for _, w := range tc.wants {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
			if tc.raw == "-" {
				return
			}
			_, err2 := DecodeDemo(d.files[DemoManifestName].Data, d.sheets())
			if err2 == nil || err2.Error() != err.Error() {
				t.Errorf("DecodeDemo error %v, LoadDemo error %v", err2, err)
			}
		})
	}
}

// TestCommittedDemo loads the dataset shipped in web/demo.
func TestCommittedDemo(t *testing.T) {
	d, err := LoadDemo(os.DirFS("../web/demo"))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Classes) != 10 || d.Classes[0] != "airplane" || d.Classes[9] != "truck" {
		t.Errorf("classes %v", d.Classes)
	}
	if len(d.Unlabeled) < 3000 {
		t.Errorf("%d unlabeled images, want >= 3000", len(d.Unlabeled))
	}
	for _, s := range []struct {
		name string
		y    []int
		want int // per class
	}{{"labeled", d.LabeledY, 100}, {"test", d.TestY, len(d.TestY) / 10}} {
		per := make([]int, len(d.Classes))
		for _, y := range s.y {
			per[y]++
		}
		for k, n := range per {
			if n != s.want || n == 0 {
				t.Errorf("%s: %d images of class %s, want %d", s.name, n, d.Classes[k], s.want)
			}
		}
	}
	for _, img := range append(append(d.Unlabeled[:1:1], d.Labeled...), d.Test...) {
		if img.Width != 32 || img.Height != 32 {
			t.Fatalf("image %dx%d, want 32x32", img.Width, img.Height)
		}
	}
}

// BenchmarkLoadCommittedDemo decodes all of web/demo (14,000 images), as the
// browser worker does once at start-up.
func BenchmarkLoadCommittedDemo(b *testing.B) {
	fsys := fstest.MapFS{}
	entries, err := os.ReadDir("../web/demo")
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile("../web/demo/" + e.Name())
		if err != nil {
			b.Fatal(err)
		}
		fsys[e.Name()] = &fstest.MapFile{Data: data}
	}
	for b.Loop() {
		if _, err := LoadDemo(fsys); err != nil {
			b.Fatal(err)
		}
	}
}
