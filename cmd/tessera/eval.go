package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/train"
)

const evalAbout = `
Usage: tessera eval -model FILE -data DIR [flags]

Measure a classifier (from 'tessera finetune') on labeled images laid out as
DIR/<class>/<images>: accuracy, top-3 accuracy, accuracy per class and the
confusion matrix (rows: true class, columns: predicted class). DIR's class
folders must be classes the model knows; it may hold only some of them.

Example:
  tessera eval -model rot-ft.safetensors -data cifar/test
`

func runEval(e *env, args []string) error {
	fs := flagSet(e, "eval", evalAbout)
	model := fs.String("model", "", "classifier model `file` (required)")
	data := fs.String("data", "", "labeled image `directory`, one subfolder per class (required)")
	asJSON := fs.Bool("json", false, "print the evaluation as JSON")
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if err := required(fs, "model", "data"); err != nil {
		return err
	}
	m, info, err := readClassifier(*model)
	if err != nil {
		return err
	}
	d, err := loadLabeled(e, *data, info.ImageSize)
	if err != nil {
		return err
	}
	ev, err := evaluate(m, info.Classes, d, *data)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(ev)
	}
	writeEvaluation(e.stdout, ev)
	return nil
}

// readClassifier loads a model file that holds a classifier, not a
// pretraining result.
func readClassifier(path string) (*nn.Model, train.ModelInfo, error) {
	m, info, err := readModel(path)
	if err != nil {
		return nil, info, err
	}
	if len(info.Classes) == 0 || info.Head.Kind != nn.Classifier {
		return nil, info, fmt.Errorf("%s is a pretrained trunk (%s), not a classifier: train one with 'tessera finetune -model %s'", path, info.Task, path)
	}
	if info.ImageSize == 0 {
		info.ImageSize = 32
	}
	return m, info, nil
}

// evaluate scores m on d after mapping d's classes onto the model's by name.
func evaluate(m *nn.Model, classes []string, d *imageio.Dataset, dir string) (train.Evaluation, error) {
	index := make(map[string]int, len(classes))
	for i, c := range classes {
		index[c] = i
	}
	remapped := *d
	remapped.Classes = classes
	remapped.Labels = make([]int, len(d.Labels))
	for i, l := range d.Labels {
		c, ok := index[d.Classes[l]]
		if !ok {
			return train.Evaluation{}, fmt.Errorf("%s: class %q is not one the model knows (%s)", dir, d.Classes[l], strings.Join(classes, ", "))
		}
		remapped.Labels[i] = c
	}
	return train.Evaluate(m, &remapped), nil
}

// writeEvaluation prints accuracy, the per-class table and the confusion matrix.
func writeEvaluation(w io.Writer, ev train.Evaluation) {
	fmt.Fprintf(w, "accuracy %.2f%% (top-3 %.2f%%) on %d images\n\n", 100*ev.Accuracy, 100*ev.Top3, ev.N)
	name := 5
	for _, c := range ev.Classes {
		name = max(name, len(c))
	}
	fmt.Fprintf(w, "%-*s  %8s  %6s\n", name, "class", "accuracy", "images")
	for c, cls := range ev.Classes {
		total := 0
		for _, v := range ev.Confusion[c] {
			total += v
		}
		acc := "–"
		if total > 0 {
			acc = fmt.Sprintf("%.1f%%", 100*ev.PerClass[c])
		}
		fmt.Fprintf(w, "%-*s  %8s  %6d\n", name, cls, acc, total)
	}
	fmt.Fprintf(w, "\nconfusion matrix (rows: true class, columns: predicted)\n")
	cell := 5
	for _, row := range ev.Confusion {
		for _, v := range row {
			cell = max(cell, len(fmt.Sprint(v))+1)
		}
	}
	fmt.Fprintf(w, "%-*s", name, "")
	for _, c := range ev.Classes {
		fmt.Fprintf(w, " %*s", cell, abbreviate(c, cell))
	}
	fmt.Fprintln(w)
	for c, row := range ev.Confusion {
		fmt.Fprintf(w, "%-*s", name, ev.Classes[c])
		for _, v := range row {
			fmt.Fprintf(w, " %*d", cell, v)
		}
		fmt.Fprintln(w)
	}
}

// abbreviate shortens s to at most n runes.
func abbreviate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}
