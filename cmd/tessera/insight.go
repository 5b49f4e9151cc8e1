package main

import (
	"encoding/csv"
	"fmt"
	"image/png"
	"os"
	"path/filepath"
	"strconv"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/train/insight"
)

const insightAbout = `
Usage: tessera insight -model FILE -data DIR -out DIR [flags]

Show what a trunk learned, before a single label, as the app's
"What the network learned" step does, against the random initialisation
that a pretraining with -seed starts from. DIR holds labeled images as
DIR/<class>/<images>; the labels only score what the features did on their
own. It prints, for each trunk, the class agreement (the share of each
image's -k nearest images, by cosine similarity of the pooled features,
that share its class) and the leave-one-out kNN accuracy, and writes:

  OUT/neighbours.csv   every image's -k nearest images under each trunk
  OUT/featuremap.csv   every image on the first two principal axes of each
                       trunk's features (PCA)
  OUT/filters.png      the first convolution's filters, one pixel per weight

Example:
  tessera insight -model rot.safetensors -data cifar/train-100 -out insight/
`

func runInsight(e *env, args []string) error {
	fs := flagSet(e, "insight", insightAbout)
	model := fs.String("model", "", "pretrained (or classifier) model `file` (required)")
	data := fs.String("data", "", "labeled image `directory`, one subfolder per class (required)")
	out := fs.String("out", "", "output `directory` (required)")
	k := fs.Int("k", 8, "`neighbours` per image")
	seed := fs.Uint64("seed", 1, "seed of the random-init trunk compared against")
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if err := required(fs, "model", "data", "out"); err != nil {
		return err
	}
	if *k < 1 {
		return usagef("-k %d: want at least 1 neighbour", *k)
	}
	m, info, err := readModel(*model)
	if err != nil {
		return err
	}
	size := info.ImageSize
	if size == 0 {
		size = 32
	}
	d, err := loadLabeled(e, *data, size)
	if err != nil {
		return err
	}
	if d.Len() <= *k {
		return fmt.Errorf("%s: %d images, need more than -k %d", *data, d.Len(), *k)
	}
	task := info.Task
	if task == "" {
		task = pretext.Default().Name
	}
	cfg := train.DefaultPretrain(task, size)
	cfg.Trunk, cfg.Seed = info.Trunk, *seed
	p, err := train.NewPretrainer(cfg, d.Images)
	if err != nil {
		return err
	}
	trunks := []struct {
		name  string
		trunk *nn.Trunk
	}{{"random init", p.Model.Trunk}, {"pretrained", m.Trunk}}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	var feats, units [][][]float32
	for _, t := range trunks {
		f := train.Features(t.trunk, d.Images)
		u := insight.Normalize(f)
		feats, units = append(feats, f), append(units, u)
		knn := train.LeaveOneOutKNN(u, d.Labels, len(d.Classes), min(20, d.Len()-1))
		fmt.Fprintf(e.stdout, "%-12s class agreement of %d nearest %5.1f%%   leave-one-out kNN accuracy %5.1f%%\n",
			t.name, *k, 100*insight.ClassAgreement(u, d.Labels, *k), 100*knn)
	}
	if err := writeCSV(filepath.Join(*out, "neighbours.csv"), neighbourRows(d, trunks[0].name, trunks[1].name, units, *k)); err != nil {
		return err
	}
	if err := writeCSV(filepath.Join(*out, "featuremap.csv"), mapRows(d, feats)); err != nil {
		return err
	}
	if c := insight.FirstConv(m.Trunk); c != nil {
		grid := insight.FilterGrid(insight.Filters(c.Weight.Value, c.OutC, c.InC, c.K), 8)
		if err := writeImage(filepath.Join(*out, "filters.png"), grid); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", *out)
	return nil
}

// neighbourRows is neighbours.csv: image, class, trunk, rank, neighbour,
// its class, cosine similarity.
func neighbourRows(d *imageio.Dataset, before, after string, units [][][]float32, k int) [][]string {
	rows := [][]string{{"image", "class", "trunk", "rank", "neighbour", "neighbour_class", "similarity"}}
	for q := range d.Images {
		for t, name := range []string{before, after} {
			for r, n := range insight.Nearest(units[t], q, k) {
				rows = append(rows, []string{d.Names[q], d.Classes[d.Labels[q]], name, strconv.Itoa(r + 1),
					d.Names[n.Index], d.Classes[d.Labels[n.Index]], strconv.FormatFloat(float64(n.Similarity), 'f', 4, 32)})
			}
		}
	}
	return rows
}

// mapRows is featuremap.csv: image, class, and its coordinates on the first
// two principal axes of each trunk's features.
func mapRows(d *imageio.Dataset, feats [][][]float32) [][]string {
	before := insight.NewPCA(feats[0], 2).Project(feats[0])
	after := insight.NewPCA(feats[1], 2).Project(feats[1])
	f := func(v float32) string { return strconv.FormatFloat(float64(v), 'g', 6, 32) }
	rows := [][]string{{"image", "class", "before_x", "before_y", "after_x", "after_y"}}
	for i := range d.Images {
		rows = append(rows, []string{d.Names[i], d.Classes[d.Labels[i]], f(before[i][0]), f(before[i][1]), f(after[i][0]), f(after[i][1])})
	}
	return rows
}

func writeCSV(path string, rows [][]string) error {
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.WriteAll(rows); err != nil {
		w.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return w.Close()
}

func writeImage(path string, img *pretext.Image) error {
	w, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(w, img.ToStd()); err != nil {
		w.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return w.Close()
}
