package experiment

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/tessera-ssl/tessera/imageio"
	"math"
	"slices"
	"strings"
	"testing"
)

// tinyExperiment is a comparison small enough for a unit test.
func tinyExperiment(tasks ...string) Config {
	c := Default(testSize)
	c.Tasks, c.Seeds, c.LabelsPerClass, c.KNN = tasks, 2, 4, 3
	c.Pretrain = tinyPretrain()
	c.Pretrain.Samples = 4 * 32
	c.FineTune.Epochs, c.FineTune.Batch = 2, 8
	c.Linear.Epochs, c.Linear.Batch = 2, 8
	c.Scratch.Epochs, c.Scratch.Batch = 2, 8
	return c
}

func TestExperimentSmall(t *testing.T) {
	pool := &imageio.Dataset{Images: scenes(16, 10)}
	labeled, test := tinted(6, 11), tinted(3, 12)
	cfg := tinyExperiment("rotation", "jigsaw")
	var lines []string
	res, err := Run(cfg, pool, labeled, test, func(s string) { lines = append(lines, s) })
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
		// Two seeds: ā = (a₁ + a₂)/2, s = |a₁ − a₂|/√2.
		a1, a2 := s.Accuracies[0], s.Accuracies[1]
		mean, std := (a1+a2)/2, math.Abs(a1-a2)/math.Sqrt2
		if math.Abs(s.Mean-mean) > 1e-12 || math.Abs(s.Std-std) > 1e-12 || s.Mean < 0 || s.Mean > 1 {
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
	var back Result
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Runs) != len(res.Runs) || back.Summary[0].Mean != res.Summary[0].Mean {
		t.Errorf("JSON round trip lost results")
	}

	// The same seeds give the same numbers.
	again, err := Run(cfg, pool, labeled, test, nil)
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
	pool := &imageio.Dataset{Images: scenes(4, 13)}
	labeled, test := tinted(3, 14), tinted(1, 15)
	other := tinted(1, 15)
	other.Classes = []string{"x", "y", "z"}
	tests := []struct {
		name    string
		cfg     Config
		pool    *imageio.Dataset
		labeled *imageio.Dataset
		test    *imageio.Dataset
		wantErr string
	}{
		{"no seeds", func() Config { c := tinyExperiment(); c.Seeds = 0; return c }(), pool, labeled, test, "seed"},
		{"empty pool", tinyExperiment(), &imageio.Dataset{}, labeled, test, "pool is empty"},
		{"unknown task", tinyExperiment("telepathy"), pool, labeled, test, "telepathy"},
		{"class mismatch", tinyExperiment(), pool, labeled, other, "differ"},
		{"too few labels", func() Config { c := tinyExperiment(); c.LabelsPerClass = 50; return c }(), pool, labeled, test, "only 3 images"},
	}
	for _, tt := range tests {
		_, err := Run(tt.cfg, tt.pool, tt.labeled, tt.test, nil)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	cfg := tinyExperiment("rotation")
	cfg.LabelsPerClass = 2
	res, err := RunContext(ctx, cfg, pool, labeled, test, nil)
	if !errors.Is(err, context.Canceled) || res == nil || res.Complete {
		t.Errorf("cancelled experiment: %v, %+v", err, res)
	}
}

// With Methods and SemiScratch the comparison runs exactly those arms, and
// the table gains a semi-supervised column.
func TestExperimentMethodsAndSemi(t *testing.T) {
	pool := &imageio.Dataset{Images: scenes(16, 10)}
	labeled, test := tinted(6, 11), tinted(3, 12)
	cfg := tinyExperiment("rotation")
	cfg.Seeds, cfg.FirstSeed, cfg.Methods, cfg.SemiScratch = 1, 5, []string{MethodSemi, MethodFineTune}, true
	cfg.Semi.Epochs, cfg.Semi.Batch, cfg.Semi.Semi.Ratio = 2, 8, 2
	res, err := Run(cfg, pool, labeled, test, nil)
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
	if _, err := Run(cfg, pool, labeled, test, nil); err == nil || !strings.Contains(err.Error(), `unknown method "magic"`) {
		t.Errorf("unknown method: error %v", err)
	}
}
