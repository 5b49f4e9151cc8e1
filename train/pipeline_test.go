package train

import (
	"bytes"
	"context"
	"github.com/tessera-ssl/tessera/imageio"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tessera-ssl/tessera/pretext"
)

// pretextLoss is the model's mean pretext loss on a fixed set of samples
// (made with a fixed seed), in evaluation mode.
func pretextLoss(t *testing.T, p *Pretrainer) float64 {
	t.Helper()
	q, err := NewPretrainer(p.Config, p.pool)
	if err != nil {
		t.Fatal(err)
	}
	q.Config.Seed = 999 // a fixed batch, different from the training batches
	q.Model = p.Model
	q.makeBatch()
	logits := q.Model.Forward(q.x, false)
	loss, _ := q.loss.Forward(logits, q.y, nil)
	return loss
}

func TestPretrainLowersPretextLoss(t *testing.T) {
	p, err := NewPretrainer(pipePretrain("rotation"), pipePool(64, 1))
	if err != nil {
		t.Fatal(err)
	}
	before := pretextLoss(t, p)
	first := 0.0
	for i := 0; p.Step(); i++ {
		if i == 0 {
			first = p.Progress().Loss
		}
	}
	after := pretextLoss(t, p)
	last := p.Progress()
	t.Logf("held-out loss %.4f → %.4f; training loss %.4f → %.4f, accuracy %.1f%%", before, after, first, last.Loss, 100*last.Accuracy)
	// Chance level is ln 4; the untrained model in evaluation mode is worse.
	if ref := min(before, math.Log(4)); !(after < 0.8*ref) {
		t.Errorf("pretext loss on a fixed batch went from %.4f to %.4f; want below 0.8 × %.4f", before, after, ref)
	}
	if !(last.Loss < first) {
		t.Errorf("training loss went from %.4f to %.4f", first, last.Loss)
	}
	if last.Step != p.Steps() || last.Samples != p.Steps()*32 || last.Fraction() != 1 {
		t.Errorf("final progress %+v: want step %d of %d and %d samples", last, p.Steps(), p.Steps(), p.Steps()*32)
	}
}

func TestPretrainEveryTask(t *testing.T) {
	pool := pipePool(8, 2)
	for _, task := range pretext.Names() {
		t.Run(task, func(t *testing.T) {
			cfg := pipePretrain(task)
			cfg.Samples, cfg.Batch = 3*8, 8
			p, err := NewPretrainer(cfg, pool)
			if err != nil {
				t.Fatal(err)
			}
			ex := p.Examples(2) // before any step: the first batch
			if err := p.Run(context.Background(), nil, time.Hour); err != nil {
				t.Fatal(err)
			}
			pr := p.Progress()
			if pr.Step != p.Steps() || math.IsNaN(pr.Loss) || pr.Loss <= 0 || pr.Accuracy < 0 || pr.Accuracy > 1 {
				t.Errorf("progress %+v after the run", pr)
			}
			ex = append(ex, p.Examples(3)...)
			if len(ex) != 2+min(3, cfg.Batch) {
				t.Fatalf("%d examples", len(ex))
			}
			for i, e := range ex {
				if e.Picture == nil || e.Picture.Width <= 0 || len(e.Picture.Pix) != 3*e.Picture.Width*e.Picture.Height {
					t.Fatalf("example %d: bad picture", i)
				}
				if len(e.Target) != p.Task.Positions() || len(e.Pred) != len(e.Target) {
					t.Fatalf("example %d: %d targets, %d predictions, want %d", i, len(e.Target), len(e.Pred), p.Task.Positions())
				}
				right := slices.Equal(e.Target, e.Pred)
				if right != e.Right {
					t.Errorf("example %d: Right %v but target %v pred %v", i, e.Right, e.Target, e.Pred)
				}
			}
		})
	}
}

func TestPretrainSameSeedSameNumbers(t *testing.T) {
	pool := pipePool(16, 3)
	run := func(seed uint64) (*Pretrainer, float64) {
		cfg := pipePretrain("rotation")
		cfg.Samples, cfg.Seed = 10*32, seed
		p, err := NewPretrainer(cfg, pool)
		if err != nil {
			t.Fatal(err)
		}
		for p.Step() {
		}
		return p, p.Progress().Loss
	}
	a, la := run(7)
	b, lb := run(7)
	c, lc := run(8)
	if la != lb {
		t.Errorf("same seed, losses %v and %v", la, lb)
	}
	if name := sameTensors(t, snapshotTensors(a.Model.Tensors()), b.Model.Tensors()); name != "" {
		t.Errorf("same seed, %s differs", name)
	}
	if name := sameTensors(t, snapshotTensors(a.Model.Tensors()), c.Model.Tensors()); name == "" || la == lc {
		t.Errorf("seeds 7 and 8 gave the same model (loss %v, %v)", la, lc)
	}
}

func TestPretrainCheckpointResume(t *testing.T) {
	pool := pipePool(12, 4)
	for _, opt := range []string{"sgd", "adam"} {
		t.Run(opt, func(t *testing.T) {
			cfg := pipePretrain("rotation")
			cfg.Samples, cfg.Optimizer = 10*32, opt
			if opt == "adam" {
				cfg.LR = 0.002
			}
			straight, err := NewPretrainer(cfg, pool)
			if err != nil {
				t.Fatal(err)
			}
			for straight.Step() {
			}

			p, err := NewPretrainer(cfg, pool)
			if err != nil {
				t.Fatal(err)
			}
			for range 4 {
				p.Step()
			}
			var buf bytes.Buffer
			if err := p.SaveCheckpoint(&buf); err != nil {
				t.Fatal(err)
			}
			r, err := ResumePretrainer("ckpt.safetensors", buf.Bytes(), pool)
			if err != nil {
				t.Fatal(err)
			}
			if r.StepsDone() != 4 || r.Steps() != straight.Steps() || r.Progress().Samples != 4*32 {
				t.Fatalf("resumed at step %d of %d with %d samples", r.StepsDone(), r.Steps(), r.Progress().Samples)
			}
			for r.Step() {
			}
			if name := sameTensors(t, snapshotTensors(straight.Model.Tensors()), r.Model.Tensors()); name != "" {
				t.Errorf("resumed run differs from the uninterrupted one at %s", name)
			}
			// The checkpoint is also a model file.
			m, info, err := LoadModel("ckpt.safetensors", buf.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			if info.Task != "rotation" || info.ImageSize != pipeSize || m.Trunk.NumParams() != p.Model.Trunk.NumParams() {
				t.Errorf("checkpoint as a model: info %+v", info)
			}
			// A plain model is not a checkpoint; another pool is refused.
			buf.Reset()
			if err := SaveModel(&buf, p.Model, p.Info(nil)); err != nil {
				t.Fatal(err)
			}
			if _, err := ResumePretrainer("model.safetensors", buf.Bytes(), pool); err == nil || !strings.Contains(err.Error(), "model.safetensors") {
				t.Errorf("resume from a plain model: %v", err)
			}
			buf.Reset()
			p.SaveCheckpoint(&buf)
			if _, err := ResumePretrainer("ckpt", buf.Bytes(), pool[:5]); err == nil || !strings.Contains(err.Error(), "12 images") {
				t.Errorf("resume on another pool: %v", err)
			}
		})
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
