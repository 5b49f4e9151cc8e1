package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
)

// writeFakeCIFAR writes a tar.gz in the CIFAR-10 ImageFolder layout with
// nTrain and nTest 32×32 JPEGs per class, each a different flat colour, plus
// a directory entry and a stray file that the reader must skip.
func writeFakeCIFAR(t *testing.T, nTrain, nTest int) string {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	add := func(h *tar.Header, data []byte) {
		h.Size, h.Mode = int64(len(data)), 0o644
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	add(&tar.Header{Name: "./train/", Typeflag: tar.TypeDir}, nil)
	add(&tar.Header{Name: "README.txt", Typeflag: tar.TypeReg}, []byte("hi"))
	n := 0
	for _, split := range []struct {
		name  string
		count int
	}{{"train", nTrain}, {"test", nTest}} {
		for k, class := range cifarClasses {
			for i := split.count - 1; i >= 0; i-- { // reverse order: the reader must sort
				img := image.NewRGBA(image.Rect(0, 0, 32, 32))
				c := color.RGBA{uint8(k * 25), uint8(n * 7 % 256), uint8(n * 13 % 256), 255}
				for p := 0; p < len(img.Pix); p += 4 {
					img.Pix[p], img.Pix[p+1], img.Pix[p+2], img.Pix[p+3] = c.R, c.G, c.B, c.A
				}
				n++
				var jb bytes.Buffer
				if err := jpeg.Encode(&jb, img, &jpeg.Options{Quality: 75}); err != nil {
					t.Fatal(err)
				}
				add(&tar.Header{Name: fmt.Sprintf("./%s/%s/%04d.jpg", split.name, class, i), Typeflag: tar.TypeReg}, jb.Bytes())
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(t.TempDir(), "fake.tar.gz")
	if err := os.WriteFile(src, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return src
}

func testConfig(src, out string, seed uint64) config {
	return config{src: src, out: out, seed: seed, labeled: 2, unlabeled: 3, test: 2,
		perSheet: 7, cols: 4, format: "png", quality: 75}
}

func readManifest(t *testing.T, dir string) imageio.DemoManifest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, imageio.DemoManifestName))
	if err != nil {
		t.Fatal(err)
	}
	var m imageio.DemoManifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestMkdemo(t *testing.T) {
	src := writeFakeCIFAR(t, 6, 3)
	a, err := readArchive(src)
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()
	// Leftovers of an earlier run: the stale sheet must go, other files stay.
	for _, f := range []string{"unlabeled-9.jpg", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(out, f), []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := testConfig(src, out, 1)
	if err := run(c, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "unlabeled-9.jpg")); !os.IsNotExist(err) {
		t.Errorf("stale sheet left behind (stat err %v)", err)
	}
	if _, err := os.Stat(filepath.Join(out, "notes.txt")); err != nil {
		t.Errorf("non-sheet file removed: %v", err)
	}
	m := readManifest(t, out)
	d, err := imageio.LoadDemo(os.DirFS(out))
	if err != nil {
		t.Fatal(err)
	}
	if got := []int{len(d.Unlabeled), len(d.Labeled), len(d.Test)}; !slices.Equal(got, []int{30, 20, 20}) {
		t.Fatalf("split sizes %v, want [30 20 20]", got)
	}
	if len(m.Unlabeled.Sheets) != 5 || m.Unlabeled.Sheets[4].Count != 2 {
		t.Errorf("unlabeled sheets %+v, want 4 of 7 and 1 of 2", m.Unlabeled.Sheets)
	}
	used := map[string]bool{}
	for _, s := range []struct {
		name   string
		split  imageio.DemoSplit
		images []*pretext.Image
		prefix string
		labels []int
		perCls int
	}{
		{"unlabeled", m.Unlabeled, d.Unlabeled, "train/", nil, 3},
		{"labeled", m.Labeled, d.Labeled, "train/", d.LabeledY, 2},
		{"test", m.Test, d.Test, "test/", d.TestY, 2},
	} {
		if len(s.split.Sources) != len(s.images) {
			t.Fatalf("%s: %d sources for %d images", s.name, len(s.split.Sources), len(s.images))
		}
		per := map[string]int{}
		for i, name := range s.split.Sources {
			if used[name] {
				t.Errorf("%s: %s used twice", s.name, name)
			}
			used[name] = true
			parts := strings.Split(name, "/")
			if !strings.HasPrefix(name, s.prefix) || len(parts) != 3 {
				t.Errorf("%s: source %s, want under %s", s.name, name, s.prefix)
				continue
			}
			per[parts[1]]++
			if s.labels != nil && cifarClasses[s.labels[i]] != parts[1] {
				t.Errorf("%s[%d]: label %d for %s", s.name, i, s.labels[i], name)
			}
			want, err := decodeSource(a.data[name], 32)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(s.images[i].Pix, want.Pix) { // PNG sheets: lossless
				t.Errorf("%s[%d]: pixels differ from %s", s.name, i, name)
			}
		}
		for _, class := range cifarClasses {
			if per[class] != s.perCls {
				t.Errorf("%s: %d images of %s, want %d", s.name, per[class], class, s.perCls)
			}
		}
	}
}

// TestMkdemoDeterministic checks that a seed fixes every output byte and
// that another seed draws another subset.
func TestMkdemoDeterministic(t *testing.T) {
	src := writeFakeCIFAR(t, 6, 3)
	dirs := []string{t.TempDir(), t.TempDir(), t.TempDir()}
	for i, seed := range []uint64{7, 7, 8} {
		if err := run(testConfig(src, dirs[i], seed), io.Discard); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dirs[0])
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 5+3+3+1 {
		t.Errorf("%d files written, want 12 (5+3+3 sheets, manifest)", len(entries))
	}
	for _, e := range entries {
		a, _ := os.ReadFile(filepath.Join(dirs[0], e.Name()))
		b, err := os.ReadFile(filepath.Join(dirs[1], e.Name()))
		if err != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between two runs with the same seed (%v)", e.Name(), err)
		}
	}
	m7, m8 := readManifest(t, dirs[0]), readManifest(t, dirs[2])
	if slices.Equal(m7.Labeled.Sources, m8.Labeled.Sources) {
		t.Error("seeds 7 and 8 chose the same labeled images in the same order")
	}
	if m7.Seed != 7 || m8.Seed != 8 || !strings.Contains(m8.Generator, "-seed 8") {
		t.Errorf("manifest records seed %d / %d, generator %q", m7.Seed, m8.Seed, m8.Generator)
	}
}

func TestMkdemoErrors(t *testing.T) {
	src := writeFakeCIFAR(t, 6, 3)
	for _, tc := range []struct {
		name string
		edit func(c *config)
		want string
	}{
		{"too few train images", func(c *config) { c.unlabeled = 5 }, "class airplane: 6 train images, need 2 labeled + 5 unlabeled"},
		{"too few test images", func(c *config) { c.test = 4 }, "class airplane: 3 test images, need 4"},
		{"bad format", func(c *config) { c.format = "gif" }, `-format "gif"`},
		{"missing archive", func(c *config) { c.src = filepath.Join(t.TempDir(), "none.tar.gz") }, "none.tar.gz"},
		{"not gzip", func(c *config) {
			c.src = filepath.Join(t.TempDir(), "x.tar.gz")
			os.WriteFile(c.src, []byte("plain"), 0o644)
		}, "x.tar.gz"},
		{"zero cols", func(c *config) { c.cols = 0 }, "-cols"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := testConfig(src, t.TempDir(), 1)
			tc.edit(&c)
			err := run(c, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want it to contain %q", err, tc.want)
			}
		})
	}
}
