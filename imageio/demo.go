package imageio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"

	"github.com/tessera-ssl/tessera/pretext"
)

// The demo dataset is a CIFAR-10 subset (Krizhevsky 2009, "Learning Multiple
// Layers of Features from Tiny Images") shipped in web/demo: a manifest plus
// sprite sheets, the way ConvNetJS ships CIFAR-10. Each sheet is a grid of
// Tile×Tile images, Cols per row, filled row by row: image i of a sheet sits
// at pixel (Tile*(i%Cols), Tile*(i/Cols)). A sheet holding n images is
// Tile*Cols wide and Tile*ceil(n/Cols) high; unused cells of the last row are
// black. cmd/mkdemo writes it; LoadDemo reads it.

// DemoManifestName is the manifest's file name inside the demo directory.
const DemoManifestName = "manifest.json"

// DemoManifest is the JSON stored in manifest.json.
type DemoManifest struct {
	Name      string   `json:"name"`
	Citation  string   `json:"citation"`
	Source    string   `json:"source"`
	Generator string   `json:"generator"` // the command that wrote the directory
	Seed      uint64   `json:"seed"`
	Classes   []string `json:"classes"` // label k names Classes[k]
	Tile      int      `json:"tile"`    // side of one image, pixels
	Cols      int      `json:"cols"`    // images per sheet row
	Format    string   `json:"format"`  // "jpeg" or "png"
	Quality   int      `json:"quality,omitempty"`

	Unlabeled DemoSplit `json:"unlabeled"`
	Labeled   DemoSplit `json:"labeled"`
	Test      DemoSplit `json:"test"`
}

// DemoSplit is one split: its sheets in order and, for labeled splits, one
// label per image (images numbered across the sheets in order).
type DemoSplit struct {
	Sheets []DemoSheet `json:"sheets"`
	Labels []int       `json:"labels,omitempty"`
	// Sources names each image's file in the source archive (provenance only).
	Sources []string `json:"sources,omitempty"`
}

// DemoSheet is one sprite sheet: a file in the demo directory holding Count images.
type DemoSheet struct {
	File  string `json:"file"`
	Count int    `json:"count"`
}

// DemoSet is the decoded demo dataset. LabeledY[i] is the class of
// Labeled[i], TestY[i] that of Test[i]; Unlabeled has no labels.
type DemoSet struct {
	Classes                  []string
	Unlabeled, Labeled, Test []*pretext.Image
	LabeledY, TestY          []int
}

// maxDemoImages bounds a split so a corrupt manifest cannot ask for absurd
// allocations before any sheet is checked.
const maxDemoImages = 1 << 20

// LoadDemo reads manifest.json and its sheets from fsys, which is rooted at
// the demo directory (os.DirFS("web/demo"), or an fstest.MapFS of fetched bytes).
func LoadDemo(fsys fs.FS) (*DemoSet, error) {
	raw, err := fs.ReadFile(fsys, DemoManifestName)
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	return decodeDemo(raw, func(name string) ([]byte, error) {
		b, err := fs.ReadFile(fsys, name)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("demo: missing sheet %s", name)
		}
		if err != nil {
			return nil, fmt.Errorf("demo: %w", err)
		}
		return b, nil
	})
}

// DecodeDemo decodes a demo dataset from the manifest's bytes and the sheets'
// bytes keyed by file name (as the browser worker has them after fetching).
func DecodeDemo(manifest []byte, sheets map[string][]byte) (*DemoSet, error) {
	return decodeDemo(manifest, func(name string) ([]byte, error) {
		b, ok := sheets[name]
		if !ok {
			return nil, fmt.Errorf("demo: missing sheet %s", name)
		}
		return b, nil
	})
}

// ParseDemoManifest parses and checks manifest.json: known fields, sane sizes,
// one in-range label per image in the labeled and test splits.
func ParseDemoManifest(raw []byte) (*DemoManifest, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	var m DemoManifest
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("demo: %s: bad JSON: %w", DemoManifestName, err)
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("demo: %s: %s", DemoManifestName, fmt.Sprintf(format, args...))
	}
	if len(m.Classes) == 0 {
		return nil, bad("no classes")
	}
	if m.Tile <= 0 || m.Tile > 1024 {
		return nil, bad("tile size %d out of range [1, 1024]", m.Tile)
	}
	if m.Cols <= 0 || m.Cols > 1024 {
		return nil, bad("cols %d out of range [1, 1024]", m.Cols)
	}
	seen := map[string]bool{}
	for _, s := range []struct {
		name     string
		split    *DemoSplit
		labelled bool
	}{{"unlabeled", &m.Unlabeled, false}, {"labeled", &m.Labeled, true}, {"test", &m.Test, true}} {
		n := 0
		for _, sh := range s.split.Sheets {
			if !fs.ValidPath(sh.File) || sh.File == "." || sh.File == DemoManifestName {
				return nil, bad("%s split: bad sheet file name %q", s.name, sh.File)
			}
			if seen[sh.File] {
				return nil, bad("sheet %s listed twice", sh.File)
			}
			seen[sh.File] = true
			if sh.Count <= 0 || sh.Count > maxDemoImages-n {
				return nil, bad("sheet %s: count %d out of range", sh.File, sh.Count)
			}
			n += sh.Count
		}
		if !s.labelled {
			continue
		}
		if len(s.split.Labels) != n {
			return nil, bad("%s split: %d labels for %d images", s.name, len(s.split.Labels), n)
		}
		for i, y := range s.split.Labels {
			if y < 0 || y >= len(m.Classes) {
				return nil, bad("%s split: label %d of image %d out of range [0, %d)", s.name, y, i, len(m.Classes))
			}
		}
	}
	return &m, nil
}

func decodeDemo(raw []byte, read func(name string) ([]byte, error)) (*DemoSet, error) {
	m, err := ParseDemoManifest(raw)
	if err != nil {
		return nil, err
	}
	d := &DemoSet{Classes: m.Classes}
	for _, s := range []struct {
		split *DemoSplit
		dst   *[]*pretext.Image
		y     *[]int
	}{{&m.Unlabeled, &d.Unlabeled, nil}, {&m.Labeled, &d.Labeled, &d.LabeledY}, {&m.Test, &d.Test, &d.TestY}} {
		for _, sh := range s.split.Sheets {
			b, err := read(sh.File)
			if err != nil {
				return nil, err
			}
			imgs, err := UnpackDemoSheet(b, sh.Count, m.Tile, m.Cols)
			if err != nil {
				return nil, fmt.Errorf("demo: sheet %s: %w", sh.File, err)
			}
			*s.dst = append(*s.dst, imgs...)
		}
		if s.y != nil {
			*s.y = s.split.Labels
		}
	}
	return d, nil
}

// DemoSheetSize is the pixel size of a sheet of count tile×tile images in cols columns.
func DemoSheetSize(count, tile, cols int) (width, height int) {
	return tile * cols, tile * ((count + cols - 1) / cols)
}

// PackDemoSheet lays images (all tile×tile, square) into a sheet cols wide,
// row by row; cells past the last image stay black. It panics on an empty
// slice, cols < 1, or images of differing or non-square size.
func PackDemoSheet(images []*pretext.Image, cols int) *image.RGBA {
	if len(images) == 0 || cols < 1 {
		panic(fmt.Sprintf("imageio: PackDemoSheet: %d images, %d cols", len(images), cols))
	}
	tile := images[0].Width
	w, h := DemoSheetSize(len(images), tile, cols)
	sheet := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range sheet.Pix {
		if i%4 == 3 {
			sheet.Pix[i] = 0xff
		}
	}
	for i, img := range images {
		if img.Width != tile || img.Height != tile || len(img.Pix) != 3*tile*tile {
			panic(fmt.Sprintf("imageio: PackDemoSheet: image %d is %dx%d, want %dx%d", i, img.Width, img.Height, tile, tile))
		}
		x0, y0 := tile*(i%cols), tile*(i/cols)
		for y := 0; y < tile; y++ {
			row := sheet.Pix[sheet.PixOffset(x0, y0+y):]
			src := img.Pix[3*tile*y : 3*tile*(y+1)]
			for x := 0; x < tile; x++ {
				copy(row[4*x:4*x+3], src[3*x:3*x+3])
			}
		}
	}
	return sheet
}

// EncodeDemoSheet writes sheet as format "jpeg" (at quality 1–100) or "png".
func EncodeDemoSheet(w io.Writer, sheet image.Image, format string, quality int) error {
	switch format {
	case "jpeg":
		return jpeg.Encode(w, sheet, &jpeg.Options{Quality: quality})
	case "png":
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		return enc.Encode(w, sheet)
	}
	return fmt.Errorf("demo: unknown sheet format %q (want jpeg or png)", format)
}

// UnpackDemoSheet decodes a JPEG or PNG sheet and cuts it into count
// tile×tile images, checking first that its size is DemoSheetSize(count, tile, cols).
func UnpackDemoSheet(data []byte, count, tile, cols int) ([]*pretext.Image, error) {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	w, h := DemoSheetSize(count, tile, cols)
	if cfg.Width != w || cfg.Height != h {
		return nil, fmt.Errorf("sheet is %dx%d pixels, want %dx%d for %d tiles of %d px in %d columns",
			cfg.Width, cfg.Height, w, h, count, tile, cols)
	}
	sheet, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	imgs := make([]*pretext.Image, count)
	for i := range imgs {
		imgs[i] = cutDemoTile(sheet, tile*(i%cols), tile*(i/cols), tile)
	}
	return imgs, nil
}

// cutDemoTile copies the tile×tile square at (x0, y0) of src into an RGB
// image, converting colors as DecodeImage does (rgbRows).
func cutDemoTile(src image.Image, x0, y0, tile int) *pretext.Image {
	img := pretext.NewImage(tile, tile)
	b := src.Bounds()
	x0, y0 = x0+b.Min.X, y0+b.Min.Y
	read := rgbRows(src)
	for y := range tile {
		read(y0+y, x0, x0+tile, img.Pix[3*tile*y:])
	}
	return img
}
