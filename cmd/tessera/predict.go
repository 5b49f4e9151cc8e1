package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

const predictAbout = `
Usage: tessera predict -model FILE [flags] IMAGE...

Classify image files (JPEG, PNG, GIF or WebP) with a classifier from
'tessera finetune' and print each one's most probable classes with their
probabilities. Each image is resized and centre-cropped to the size the
model was trained on. An unreadable image is reported, the others are still
classified, and the exit code is 1.

Example:
  tessera predict -model rot-ft.safetensors cat.jpg dog.png
`

// prediction is one image's answer, as -json prints it.
type prediction struct {
	File  string        `json:"file"`
	Top   []rankedClass `json:"top,omitempty"`
	Error string        `json:"error,omitempty"`
}

type rankedClass struct {
	Class       string  `json:"class"`
	Probability float32 `json:"probability"`
}

func runPredict(e *env, args []string) error {
	fs := flagSet(e, "predict", predictAbout)
	model := fs.String("model", "", "classifier model `file` (required)")
	top := fs.Int("top", 3, "show the `k` most probable classes")
	asJSON := fs.Bool("json", false, "print the predictions as JSON")
	if err := parse(fs, args, true); err != nil {
		return err
	}
	if err := required(fs, "model"); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usagef("no image files given")
	}
	if *top < 1 {
		return usagef("-top %d must be at least 1", *top)
	}
	m, info, err := readClassifier(*model)
	if err != nil {
		return err
	}
	var preds []prediction
	var images []*pretext.Image
	var slots []int
	failed := 0
	for _, path := range fs.Args() {
		preds = append(preds, prediction{File: path})
		data, err := os.ReadFile(path)
		var img *pretext.Image
		if err == nil {
			img, err = imageio.DecodeImage(path, data, info.ImageSize)
		}
		if err != nil {
			preds[len(preds)-1].Error = err.Error()
			fmt.Fprintf(e.stderr, "tessera predict: %v\n", err)
			failed++
			continue
		}
		images = append(images, img)
		slots = append(slots, len(preds)-1)
	}
	if len(images) > 0 {
		for i, probs := range train.Predict(m, images) {
			for _, r := range train.TopK(probs, *top) {
				preds[slots[i]].Top = append(preds[slots[i]].Top, rankedClass{info.Classes[r.Class], r.Probability})
			}
		}
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(preds); err != nil {
			return err
		}
	} else {
		for _, p := range preds {
			if p.Error != "" {
				continue
			}
			parts := make([]string, len(p.Top))
			for i, r := range p.Top {
				parts[i] = fmt.Sprintf("%s %.1f%%", r.Class, 100*r.Probability)
			}
			fmt.Fprintf(e.stdout, "%s: %s\n", p.File, strings.Join(parts, ", "))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d images could not be read", failed, len(preds))
	}
	return nil
}
