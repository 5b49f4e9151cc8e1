package imageio

import (
	"image/color"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// Fuzz targets for the native image path: the decoder, and the ImageFolder
// walker on synthetic trees (on disk and in memory). Their seeds run as
// normal tests; to search for more:
//
//	go test -run '^$' -fuzz FuzzDecodeImage -fuzztime 10m ./imageio/
//	go test -run '^$' -fuzz FuzzImageFolder -fuzztime 10m ./imageio/
//	go test -run '^$' -fuzz FuzzImageFolderFromFiles -fuzztime 10m ./imageio/

const fuzzSize = 8

func fuzzImages(f *testing.F) [][]byte {
	img := solidRGBA(5, 3, color.RGBA{200, 10, 30, 255})
	png, jpg, gif := encodePNG(f, img), encodeJPEG(f, img, 80), encodeGIF(f, img)
	return [][]byte{png, jpg, gif, png[:len(png)/2], jpg[:len(jpg)-10], nil, []byte("GIF89a"), []byte("\xff\xd8\xff"),
		[]byte("<svg xmlns='http://www.w3.org/2000/svg'/>"), []byte("II*\x00"), []byte("%PDF-1.4"), []byte("\x00\x00\x00\x18ftypheic")}
}

// FuzzDecodeImage: DecodeImage never panics, and what it accepts is a
// size×size RGB image; what it refuses names the file.
func FuzzDecodeImage(f *testing.F) {
	for _, b := range fuzzImages(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := DecodeImage("x.png", data, fuzzSize)
		if err != nil {
			if img != nil || !strings.Contains(err.Error(), "x.png") {
				t.Fatalf("refused with image %v and error %q (must name x.png)", img != nil, err)
			}
			return
		}
		if img.Width != fuzzSize || img.Height != fuzzSize || len(img.Pix) != 3*fuzzSize*fuzzSize {
			t.Fatalf("accepted as %d×%d with %d bytes", img.Width, img.Height, len(img.Pix))
		}
	})
}

// fuzzTree turns a spec (newline-separated relative paths; a path ending in
// "/" is an empty folder) into at most 24 sanitized files and folders: path
// segments keep only [A-Za-z0-9._-], "." and ".." segments are dropped,
// depth ≤ 4. File i's content is images[i % len(images)].
func fuzzTree(spec string, images [][]byte) (files []File, dirs []string) {
	seen := map[string]bool{}
	for _, line := range strings.Split(spec, "\n") {
		if len(files)+len(dirs) >= 24 {
			break
		}
		isDir := strings.HasSuffix(line, "/")
		var segs []string
		for _, s := range strings.Split(line, "/") {
			s = strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-' {
					return r
				}
				return -1
			}, s)
			if s != "" && s != "." && s != ".." && len(segs) < 4 {
				segs = append(segs, s)
			}
		}
		if len(segs) == 0 {
			continue
		}
		p := path.Join(segs...)
		conflict := false
		for i := 1; i <= len(segs); i++ { // a file cannot also be a folder
			q := path.Join(segs[:i]...)
			if seen[q] && (i < len(segs) || !isDir) {
				conflict = true
			}
		}
		if conflict || seen[p+"/"] {
			continue
		}
		for i := 1; i < len(segs); i++ {
			seen[path.Join(segs[:i]...)+"/"] = true
		}
		if isDir {
			seen[p+"/"] = true
			dirs = append(dirs, p)
			continue
		}
		seen[p] = true
		files = append(files, File{Path: p, Data: images[len(files)%len(images)]})
	}
	return files, dirs
}

// checkFuzzFolder asserts what any ImageFolder result must satisfy: classes
// sorted and unique, every image size×size, its label's class the first
// folder of its name, names unique and from the input, and every file
// either loaded, reported, or skipped — never two of these.
func checkFuzzFolder(t *testing.T, files []File, d *Dataset, errs []FileError, root string) {
	t.Helper()
	given := map[string]bool{}
	for _, f := range files {
		given[f.Path] = true
	}
	if !slices.IsSorted(d.Classes) || len(slices.Compact(slices.Clone(d.Classes))) != len(d.Classes) {
		t.Fatalf("classes %q not sorted and unique", d.Classes)
	}
	loaded := map[string]bool{}
	for i, img := range d.Images {
		name := d.Names[i]
		if img.Width != fuzzSize || img.Height != fuzzSize {
			t.Fatalf("%s is %d×%d", name, img.Width, img.Height)
		}
		if !given[name] || loaded[name] {
			t.Fatalf("image %q is not an input file, or loaded twice", name)
		}
		loaded[name] = true
		if l := d.Labels[i]; l < 0 || l >= len(d.Classes) || strings.SplitN(name, "/", 2)[0] != d.Classes[l] {
			t.Fatalf("%s has label %d of classes %q: not its first folder", name, l, d.Classes)
		}
	}
	for _, e := range errs {
		rel := strings.TrimPrefix(filepath.ToSlash(strings.TrimPrefix(e.Path, root)), "/")
		if loaded[rel] {
			t.Fatalf("%s both loaded and reported (%v)", rel, e.Err)
		}
	}
}

// FuzzImageFolder writes a synthetic tree to disk and loads it.
func FuzzImageFolder(f *testing.F) {
	images := fuzzImages(f)
	for _, spec := range []string{
		"cat/a.png\ncat/b.jpg\ndog/c.gif",
		"animals/cat/small/a.png\nanimals/dog/small/b.png\nanimals/dog/big/huge/c.png",
		"loose.png\ncat/.hidden.png\n__MACOSX/cat/x.png\ncat/readme.txt\nempty/",
		"a/b.png\na/c.png/\n../../etc/passwd\n./x/./y.png",
		"c/1.png\nc/2.png\nc/3.png\nc/4.png\nc/5.png\nc/6.png\nd/7.png",
	} {
		f.Add(spec)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		files, dirs := fuzzTree(spec, images)
		root := t.TempDir()
		for _, d := range dirs {
			if err := os.MkdirAll(filepath.Join(root, filepath.FromSlash(d)), 0o755); err != nil {
				t.Skip(err) // the tree cannot exist on this file system
			}
		}
		for _, fl := range files {
			p := filepath.Join(root, filepath.FromSlash(fl.Path))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Skip(err)
			}
			if err := os.WriteFile(p, fl.Data, 0o644); err != nil {
				t.Skip(err)
			}
		}
		d, errs, err := LoadImageFolder(root, fuzzSize)
		if err != nil {
			if d != nil {
				t.Fatalf("error %v with a dataset", err)
			}
			return
		}
		checkFuzzFolder(t, files, d, errs, root)
	})
}

// FuzzImageFolderFromFiles loads the same synthetic trees from memory, as
// the browser's folder upload would.
func FuzzImageFolderFromFiles(f *testing.F) {
	images := fuzzImages(f)
	for _, spec := range []string{
		"cat/a.png\ncat/b.jpg\ndog/c.gif",
		"animals/cat/small/a.png\nanimals/dog/small/b.png\nanimals/dog/big/huge/c.png",
		"loose.png\ncat/.hidden.png\n__MACOSX/cat/x.png\ncat/readme.txt",
	} {
		f.Add(spec)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		files, _ := fuzzTree(spec, images)
		d, errs, err := ImageFolderFromFiles(files, fuzzSize)
		if err != nil {
			if d != nil {
				t.Fatalf("error %v with a dataset", err)
			}
			return
		}
		checkFuzzFolder(t, files, d, errs, "")
	})
}
