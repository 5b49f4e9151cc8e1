package main

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
)

// cifarClasses is CIFAR-10's official label order 0–9.
var cifarClasses = []string{"airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"}

// archive is the ImageFolder tree of a CIFAR-10 tar.gz:
// files[split][class] holds the names (e.g. "train/cat/0042.jpg") in sorted
// order, data maps each name to its bytes.
type archive struct {
	files map[string][][]string // "train" or "test" → class index → sorted names
	data  map[string][]byte
}

// readArchive reads every split/class/name.jpg entry of the tar.gz at src
// without unpacking it. The layout is train/<class>/NNNN.jpg and
// test/<class>/NNNN.jpg (a leading "./" is ignored); other entries are skipped.
func readArchive(src string) (*archive, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src, err)
	}
	classIndex := map[string]int{}
	for i, c := range cifarClasses {
		classIndex[c] = i
	}
	a := &archive{files: map[string][][]string{}, data: map[string][]byte{}}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src, err)
		}
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(h.Name, ".jpg") {
			continue
		}
		name := path.Clean(strings.TrimPrefix(h.Name, "./"))
		parts := strings.Split(name, "/")
		if len(parts) != 3 || (parts[0] != "train" && parts[0] != "test") {
			continue
		}
		k, ok := classIndex[parts[1]]
		if !ok {
			return nil, fmt.Errorf("%s: %s: unknown class %q", src, h.Name, parts[1])
		}
		b, err := io.ReadAll(tr)
		if err != nil {
			return nil, fmt.Errorf("%s: %s: %w", src, h.Name, err)
		}
		if a.files[parts[0]] == nil {
			a.files[parts[0]] = make([][]string, len(cifarClasses))
		}
		a.files[parts[0]][k] = append(a.files[parts[0]][k], name)
		a.data[name] = b
	}
	for _, split := range a.files {
		for _, names := range split {
			slices.Sort(names)
		}
	}
	return a, nil
}
