package train

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/imageio"
)

// tinyExperiment is a comparison small enough for a unit test.
func tinyExperiment(tasks ...string) ExperimentConfig {
	c := DefaultExperiment(pipeSize)
	c.Tasks, c.Seeds, c.LabelsPerClass, c.KNN = tasks, 2, 4, 3
	c.Pretrain = pipePretrain("")
	c.Pretrain.Samples = 4 * 32
	c.FineTune.Epochs, c.FineTune.Batch = 2, 8
	c.Linear.Epochs, c.Linear.Batch = 2, 8
	c.Scratch.Epochs, c.Scratch.Batch = 2, 8
	return c
}

func TestExperimentSmall(t *testing.T) {
	pool := &imageio.Dataset{Images: pipePool(16, 10)}
	labeled, test := pipeLabeled(6, 11), pipeLabeled(3, 12)
	cfg := tinyExperiment("rotation", "jigsaw")
	var lines []string
	res, err := RunExperiment(cfg, pool, labeled, test, func(s string) { lines = append(lines, s) })
	if err != nil {
		t.Fatal(err)
	}
	// Per seed: scratch, and per task linear, finetune, knn.
	if want := 2 * (1 + 2*3); len(res.Runs) != want || !res.Complete {
		t.Fatalf("%d runs (complete %v), want %d", len(res.Runs), res.Complete, want)
	}
	if res.Labeled != 4*3 || res.Test != test.Len() || res.Pool != 16 {
		t.Errorf("labeled %d test %d pool %d", res.Labeled, res.Test, res.Pool)
	}
	if len(res.Summary) != 1+2*3 {
		t.Errorf("%d summaries", len(res.Summary))
	}
	for _, s := range res.Summary {
		if len(s.Accuracies) != 2 {
			t.Errorf("%s %s: %d accuracies, want one per seed", s.Task, s.Method, len(s.Accuracies))
		}
		mean, _ := meanStd(s.Accuracies)
		if s.Mean != mean || s.Mean < 0 || s.Mean > 1 || s.Std < 0 {
			t.Errorf("%s %s: mean %v ± %v of %v", s.Task, s.Method, s.Mean, s.Std, s.Accuracies)
		}
	}
	if _, ok := res.Find("", MethodScratch); !ok {
		t.Errorf("no scratch summary")
	}
	for _, r := range res.Runs {
		if r.Eval.N != test.Len() || len(r.Eval.Confusion) != 3 {
			t.Errorf("run %+v not evaluated on the test set", r)
		}
		if r.Task != "" && r.PretextAccuracy == 0 && r.PretextLoss == 0 {
			t.Errorf("run %s %s has no pretext figures", r.Task, r.Method)
		}
	}
	if len(lines) < len(res.Runs) {
		t.Errorf("%d report lines for %d runs", len(lines), len(res.Runs))
	}

	var md bytes.Buffer
	if err := res.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| rotation |", "| jigsaw |", "random init (scratch", " ± ", "4 per class"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("markdown lacks %q:\n%s", want, md.String())
		}
	}
	var js bytes.Buffer
	if err := res.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back ExperimentResult
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Runs) != len(res.Runs) || back.Summary[0].Mean != res.Summary[0].Mean {
		t.Errorf("JSON round trip lost results")
	}

	// The same seeds give the same numbers.
	again, err := RunExperiment(cfg, pool, labeled, test, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := range res.Runs {
		a, b := res.Runs[i], again.Runs[i]
		if a.Eval.Accuracy != b.Eval.Accuracy || a.PretextLoss != b.PretextLoss || !slices.Equal(a.Eval.PerClass, b.Eval.PerClass) {
			t.Errorf("run %d (%s %s seed %d) differs between identical experiments", i, a.Task, a.Method, a.Seed)
		}
	}
}

func TestExperimentErrorsAndCancel(t *testing.T) {
	pool := &imageio.Dataset{Images: pipePool(4, 13)}
	labeled, test := pipeLabeled(3, 14), pipeLabeled(1, 15)
	other := pipeLabeled(1, 15)
	other.Classes = []string{"x", "y", "z"}
	tests := []struct {
		name    string
		cfg     ExperimentConfig
		pool    *imageio.Dataset
		labeled *imageio.Dataset
		test    *imageio.Dataset
		wantErr string
	}{
		{"no seeds", func() ExperimentConfig { c := tinyExperiment(); c.Seeds = 0; return c }(), pool, labeled, test, "seed"},
		{"empty pool", tinyExperiment(), &imageio.Dataset{}, labeled, test, "pool is empty"},
		{"unknown task", tinyExperiment("telepathy"), pool, labeled, test, "telepathy"},
		{"class mismatch", tinyExperiment(), pool, labeled, other, "differ"},
		{"too few labels", func() ExperimentConfig { c := tinyExperiment(); c.LabelsPerClass = 50; return c }(), pool, labeled, test, "only 3 images"},
	}
	for _, tt := range tests {
		_, err := RunExperiment(tt.cfg, tt.pool, tt.labeled, tt.test, nil)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := tinyExperiment("rotation")
	cfg.LabelsPerClass = 2
	res, err := RunExperimentContext(ctx, cfg, pool, labeled, test, nil)
	if !errors.Is(err, context.Canceled) || res == nil || res.Complete {
		t.Errorf("cancelled experiment: %v, %+v", err, res)
	}
}

// TestCorruptImageSkipped runs the pipeline from files on disk: a corrupt
// image is reported (naming the file) and the others are used.
func TestCorruptImageSkipped(t *testing.T) {
	d := pipeLabeled(3, 16)
	dir := writeImageFolder(t, d)
	bad := filepath.Join(dir, "green", "broken.png")
	if err := os.WriteFile(bad, []byte("\x89PNG\r\n\x1a\n this is not really a PNG"), 0o644); err != nil {
		t.Fatal(err)
	}
	loaded, fileErrs, err := imageio.LoadImageFolder(dir, pipeSize)
	if err != nil {
		t.Fatal(err)
	}
	if len(fileErrs) != 1 || fileErrs[0].Path != bad {
		t.Fatalf("file errors %v, want exactly one for %s", fileErrs, bad)
	}
	if loaded.Len() != d.Len() || !slices.Equal(loaded.Classes, slices.Sorted(slices.Values(d.Classes))) || !slices.Equal(loaded.CountPerClass(), d.CountPerClass()) {
		t.Fatalf("loaded %d images %v, want %d %v", loaded.Len(), loaded.CountPerClass(), d.Len(), d.CountPerClass())
	}
	f, err := NewFinetuner(pipeFinetune(Scratch), nil, pipeTrunk(), loaded, nil)
	if err != nil {
		t.Fatal(err)
	}
	for f.Step() {
	}
	if e := Evaluate(f.Model, loaded); e.N != d.Len() {
		t.Errorf("evaluated %d images", e.N)
	}
}

// With Methods and SemiScratch the comparison runs exactly those arms, and
// the table gains a semi-supervised column.
func TestExperimentMethodsAndSemi(t *testing.T) {
	pool := &imageio.Dataset{Images: pipePool(16, 10)}
	labeled, test := pipeLabeled(6, 11), pipeLabeled(3, 12)
	cfg := tinyExperiment("rotation")
	cfg.Seeds, cfg.FirstSeed, cfg.Methods, cfg.SemiScratch = 1, 5, []string{MethodSemi, MethodFineTune}, true
	cfg.Semi.Epochs, cfg.Semi.Batch, cfg.Semi.Semi.Ratio = 2, 8, 2
	res, err := RunExperiment(cfg, pool, labeled, test, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Runs {
		got = append(got, r.Task+"/"+r.Method)
		if r.Seed != 5 {
			t.Errorf("%s %s: seed %d, want the first seed 5", r.Task, r.Method, r.Seed)
		}
		if r.Method != MethodKNN && r.Steps == 0 {
			t.Errorf("%s %s: no steps recorded", r.Task, r.Method)
		}
	}
	if want := []string{"/scratch", "/semi", "rotation/finetune", "rotation/semi"}; !slices.Equal(got, want) {
		t.Errorf("runs %v, want %v", got, want)
	}
	var md bytes.Buffer
	if err := res.WriteMarkdown(&md); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(md.String(), "Semi-supervised |") || !strings.Contains(md.String(), "pseudo-labels above") {
		t.Errorf("markdown lacks the semi-supervised column:\n%s", md.String())
	}
	cfg.Methods = []string{"magic"}
	if _, err := RunExperiment(cfg, pool, labeled, test, nil); err == nil || !strings.Contains(err.Error(), `unknown method "magic"`) {
		t.Errorf("unknown method: error %v", err)
	}
}
