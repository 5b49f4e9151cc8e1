package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/train"
)

// maxListedFileErrors bounds how many skipped files are listed by name.
const maxListedFileErrors = 10

// reportSkipped tells the user which files were skipped and why.
func reportSkipped(e *env, errs []imageio.FileError) {
	if len(errs) == 0 {
		return
	}
	fmt.Fprintf(e.stderr, "skipped %d file(s):\n", len(errs))
	for i, fe := range errs {
		if i == maxListedFileErrors {
			fmt.Fprintf(e.stderr, "  … and %d more\n", len(errs)-i)
			break
		}
		fmt.Fprintf(e.stderr, "  %v\n", fe)
	}
}

// loadLabeled loads an ImageFolder (dir/<class>/<images>) at size×size.
func loadLabeled(e *env, dir string, size int) (*imageio.Dataset, error) {
	d, errs, err := imageio.LoadImageFolder(dir, size)
	reportSkipped(e, errs)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(e.stderr, "%s: %d images in %d classes\n", dir, d.Len(), len(d.Classes))
	return d, nil
}

// loadPool loads every image under dir, labels ignored, at size×size.
func loadPool(e *env, dir string, size int) (*imageio.Dataset, error) {
	d, errs, err := imageio.LoadUnlabeledDir(dir, size)
	reportSkipped(e, errs)
	if err != nil {
		return nil, err
	}
	if d.Len() == 0 {
		return nil, fmt.Errorf("%s: no images", dir)
	}
	fmt.Fprintf(e.stderr, "%s: %d unlabeled images\n", dir, d.Len())
	return d, nil
}

// readModel loads a model file.
func readModel(path string) (*nn.Model, train.ModelInfo, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, train.ModelInfo{}, fmt.Errorf("read model: %w", err)
	}
	return train.LoadModel(path, data)
}

// writeFile writes path through a temporary file renamed into place, so an
// interruption never leaves a half-written model.
func writeFile(path string, write func(io.Writer) error) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	w := bufio.NewWriter(tmp)
	if err := write(w); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// saveModel writes a model file.
func saveModel(path string, m *nn.Model, info train.ModelInfo) error {
	return writeFile(path, func(w io.Writer) error { return train.SaveModel(w, m, info) })
}

// parseWidths parses "32,64,128" into stage widths.
func parseWidths(s string) ([]int, error) {
	var ws []int
	for _, f := range strings.Split(s, ",") {
		w, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || w <= 0 {
			return nil, usagef("-width %q: want positive channel counts separated by commas, like 32,64,128", s)
		}
		ws = append(ws, w)
	}
	return ws, nil
}

// trunkConfig builds the trunk of -width and -convs.
func trunkConfig(widths string, convs int) (nn.TrunkConfig, error) {
	ws, err := parseWidths(widths)
	if err != nil {
		return nn.TrunkConfig{}, err
	}
	c := nn.DefaultTrunk()
	c.Widths, c.ConvsPerStage = ws, convs
	if err := c.Validate(); err != nil {
		return c, usageError{err.Error()}
	}
	return c, nil
}

// checkSize rejects a working image size the pipeline cannot use.
func checkSize(size int) error {
	if size < 16 || size > 512 {
		return usagef("-size %d: want a side between 16 and 512 pixels", size)
	}
	return nil
}

// widthsString formats widths as the -width flag takes them.
func widthsString(ws []int) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = strconv.Itoa(w)
	}
	return strings.Join(s, ",")
}
