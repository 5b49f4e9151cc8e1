package train

import (
	"math"
	"slices"
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

// FlexMatch's thresholds: T(c) = τ·β/(2−β), β(c) = σ(c)/max(max σ, σ(∅)).
func TestFlexThresholds(t *testing.T) {
	const tau = 0.9
	tests := []struct {
		sigma []int // σ(0), σ(1), σ(∅)
		want  []float64
	}{
		{[]int{0, 0, 100}, []float64{0, 0}},                  // nothing sure yet: everything passes
		{[]int{50, 25, 25}, []float64{tau, tau * 0.5 / 1.5}}, // the best-learnt class keeps τ
		{[]int{10, 5, 85}, []float64{tau * (10.0 / 85) / (2 - 10.0/85), tau * (5.0 / 85) / (2 - 5.0/85)}},
		{[]int{60, 40, 0}, []float64{tau, tau * (40.0 / 60) / (2 - 40.0/60)}},
	}
	for _, tt := range tests {
		s := &semiState{cfg: SemiConfig{Threshold: tau, Flex: true}, kept: []int16{}, sigma: tt.sigma}
		for c, want := range tt.want {
			if got := s.threshold(c); math.Abs(got-want) > 1e-12 {
				t.Errorf("σ %v: T(%d) = %g, want %g", tt.sigma, c, got, want)
			}
		}
	}
}

// With Flex a fresh model pseudo-labels every unlabeled image at first
// (all thresholds 0), however high τ is, and the kept classes and their
// counts stay consistent.
func TestFlexStartsLowAndKeepsCounts(t *testing.T) {
	data, pool := pipeLabeled(6, 1), pipeLabeled(10, 2)
	cfg := pipeSemi(0.6)
	cfg.Semi.Flex = true
	f, err := NewFinetuner(cfg, nil, pipeTrunk(), data, pool.Images)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Step() {
		t.Fatal("step failed")
	}
	if n := f.x.Shape[0]; n != 16+32 {
		t.Errorf("first Flex step: batch of %d rows, want 16 labeled + all 32 unlabeled", n)
	}
	for f.Step() {
	}
	s := f.semi
	counts := make([]int, len(s.sigma))
	for _, c := range s.kept {
		if c < 0 {
			counts[len(counts)-1]++
		} else {
			counts[c]++
		}
	}
	if !slices.Equal(counts, s.sigma) {
		t.Errorf("σ %v, but the kept classes count %v", s.sigma, counts)
	}
	if s.sigma[len(s.sigma)-1] == len(s.kept) {
		t.Error("no pool image was ever predicted with confidence ≥ τ")
	}
}
