package train

import (
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/pretext"
)

// pipeSemi is a small semi-supervised configuration.
func pipeSemi(threshold float64) FinetuneConfig {
	c := pipeFinetune(SemiSupervised)
	c.Semi.Ratio, c.Semi.Threshold = 2, threshold
	return c
}

// The threshold gates the unlabeled images: none of a fresh model's pass threshold 1 (certainty),
// all pass 0, and only those that pass are in the trained batch.
func TestSemiThresholdGatesUnlabeled(t *testing.T) {
	data, pool := pipeLabeled(6, 1), pipeLabeled(10, 2)
	tests := []struct {
		threshold float64
		extra     int // strong views per step
	}{{1, 0}, {0, 2 * 16}}
	for _, tt := range tests {
		f, err := NewFinetuner(pipeSemi(tt.threshold), nil, pipeTrunk(), data, pool.Images)
		if err != nil {
			t.Fatal(err)
		}
		f.WatchPseudoLabels(pool.Labels)
		for range 3 {
			if !f.Step() {
				t.Fatal("step failed")
			}
			if n := f.x.Shape[0]; n != 16+tt.extra {
				t.Errorf("threshold %g: batch of %d rows, want %d labeled + %d pseudo-labelled", tt.threshold, n, 16, tt.extra)
			}
		}
		if p := f.Progress(); p.PseudoLabeled != float64(tt.extra)/32 {
			t.Errorf("threshold %g: pseudo-labelled fraction %g, want %g", tt.threshold, p.PseudoLabeled, float64(tt.extra)/32)
		}
	}
}

// On colour-tinted classes, pseudo-labels become mostly right and the
// classifier learns, with 2 labeled images per class and 30 unlabeled.
func TestSemiLearnsAndItsPseudoLabelsAreRight(t *testing.T) {
	data, pool, test := pipeLabeled(2, 3), pipeLabeled(10, 4), pipeLabeled(8, 5)
	cfg := pipeSemi(0.8)
	cfg.Epochs, cfg.Batch, cfg.EMA = 60, 6, 0.9
	f, err := NewFinetuner(cfg, nil, pipeTrunk(), data, pool.Images)
	if err != nil {
		t.Fatal(err)
	}
	f.WatchPseudoLabels(pool.Labels)
	for f.Step() {
	}
	p := f.Progress()
	acc := Evaluate(f.Classifier(), test).Accuracy
	t.Logf("pseudo-labelled %.2f, right %.2f; test accuracy %.2f", p.PseudoLabeled, p.PseudoAccuracy, acc)
	if p.PseudoLabeled < 0.3 || p.PseudoAccuracy < 0.8 {
		t.Errorf("pseudo-labels: %.2f of the pool labelled, %.2f right; want ≥ 0.3 and ≥ 0.8", p.PseudoLabeled, p.PseudoAccuracy)
	}
	if acc < 0.8 {
		t.Errorf("test accuracy %.2f, want ≥ 0.8", acc)
	}
	if f.Classifier() == f.Model {
		t.Error("with EMA on, Classifier is the live model")
	}
}

func TestSemiErrors(t *testing.T) {
	data := pipeLabeled(2, 6)
	small := pipePool(2, 1)
	for i := range small {
		small[i] = small[i].Crop(0, 0, 8, 8)
	}
	with := func(fn func(*FinetuneConfig)) FinetuneConfig { c := pipeSemi(0.9); fn(&c); return c }
	tests := []struct {
		name    string
		cfg     FinetuneConfig
		pool    []*pretext.Image
		wantErr string
	}{
		{"no pool", pipeSemi(0.9), nil, "no unlabeled images"},
		{"pool size", pipeSemi(0.9), small, "unlabeled image 0 is 8×8"},
		{"ratio", with(func(c *FinetuneConfig) { c.Semi.Ratio = 0 }), pipePool(3, 1), "ratio 0"},
		{"threshold", with(func(c *FinetuneConfig) { c.Semi.Threshold = 2 }), pipePool(3, 1), "threshold 2"},
		{"teacher", with(func(c *FinetuneConfig) { c.Semi.Teacher, c.EMA = "ema", 0 }), pipePool(3, 1), "needs an EMA decay"},
		{"smoothing", with(func(c *FinetuneConfig) { c.Smoothing = 1 }), pipePool(3, 1), "label smoothing 1"},
	}
	for _, tt := range tests {
		_, err := NewFinetuner(tt.cfg, nil, pipeTrunk(), data, tt.pool)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
}
