package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

const pretrainAbout = `
Usage: tessera pretrain -data DIR [flags]

Pretrain a trunk (the network's convolutional layers) on unlabeled images
with a self-supervised pretext task, and save it as a .safetensors model for
'tessera finetune'. Every image under DIR is used, subfolders included (class
folders of a labeled set are simply ignored); images are resized and
centre-cropped to -size pixels. Unreadable files are listed and skipped.

Tasks:
  rotation      predict which of 0°, 90°, 180°, 270° an image was turned by
  jigsaw        predict the permutation of an image's shuffled tiles
  colorization  predict the colours of a gray image (one bin per cell)
  context       predict where a second patch lies around a first one

The budget is -samples pretext samples (rotation counts all four turns of
an image), or -epochs passes over the images when given.

-workers N trains N data-parallel replicas (goroutines): each computes the
gradients of its share of every batch (whole images), batch norm uses the
whole batch's statistics, and all apply the same averaged update, so the
model is the one a single worker would train, up to float rounding. It pays
off only with spare cores. If a replica fails, the run carries on alone.

Ctrl-C saves a checkpoint (-checkpoint) and exits with code 130; run again
with '-resume CHECKPOINT' (and the same -data) to continue exactly where it
stopped: the resumed run takes the same steps as an uninterrupted one.

Example:
  tessera pretrain -data photos/ -task rotation -samples 200000 -out rotation.safetensors
`

func runPretrain(e *env, args []string) error {
	def := train.DefaultPretrain(pretext.Default().Name, 32)
	fs := flagSet(e, "pretrain", pretrainAbout)
	data := fs.String("data", "", "`directory` of unlabeled images (required)")
	task := fs.String("task", def.Task, "pretext `task`: "+strings.Join(pretext.Names(), ", "))
	samples := fs.Int("samples", def.Samples, "budget in pretext samples (`n`)")
	epochs := fs.Float64("epochs", 0, "budget in `passes` over the images (overrides -samples when > 0)")
	batch := fs.Int("batch", def.Batch, "pretext `samples` per optimizer step")
	lr := fs.Float64("lr", def.LR, "peak learning `rate` (warm-up, then cosine decay)")
	optimizer := fs.String("optimizer", def.Optimizer, "`name`: sgd (Nesterov momentum 0.9) or adam (AdamW)")
	wd := fs.Float64("wd", def.WeightDecay, "weight `decay`")
	warmup := fs.Float64("warmup", def.Warmup, "`fraction` of the steps spent warming the learning rate up")
	widths := fs.String("width", widthsString(def.Trunk.Widths), "trunk stage `widths` (channels), comma-separated; a 2×2 max pool between stages")
	convs := fs.Int("convs", def.Trunk.ConvsPerStage, "`n` 3×3 convolutions per trunk stage")
	hidden := fs.Int("hidden", def.Hidden, "hidden `width` of the jigsaw/context head")
	size := fs.Int("size", def.ImageSize, "working image side in `pixels`")
	seed := fs.Uint64("seed", def.Seed, "random `seed` (weights, image order, pretext samples)")
	out := fs.String("out", "trunk.safetensors", "`file` to write the pretrained model to")
	checkpoint := fs.String("checkpoint", "", "checkpoint `file` written on Ctrl-C (default: -out with .ckpt before .safetensors)")
	every := fs.Duration("checkpoint-every", 0, "also write the checkpoint every `interval` (e.g. 10m; 0 = only on Ctrl-C)")
	resume := fs.String("resume", "", "continue the run saved in this checkpoint `file`; its settings override the flags")
	workers := fs.Int("workers", 1, "`n` data-parallel replicas (goroutines) sharing every batch; the same model as 1, up to float rounding")
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if err := required(fs, "data", "out"); err != nil {
		return err
	}
	if *checkpoint == "" {
		*checkpoint = strings.TrimSuffix(*out, ".safetensors") + ".ckpt.safetensors"
	}
	if *every < 0 {
		return usagef("-checkpoint-every %v must not be negative", *every)
	}
	if *workers < 1 || *workers > 256 {
		return usagef("-workers %d: want 1 to 256", *workers)
	}

	// build makes one replica: every call gives the same starting state.
	var build func() (*train.Pretrainer, error)
	if *resume != "" {
		var ignored []string
		fs.Visit(func(f *flag.Flag) {
			if !slices.Contains([]string{"data", "out", "checkpoint", "checkpoint-every", "resume", "workers"}, f.Name) {
				ignored = append(ignored, "-"+f.Name)
			}
		})
		if len(ignored) > 0 {
			fmt.Fprintf(e.stderr, "note: %s ignored: a resumed run keeps the settings of its checkpoint\n", strings.Join(ignored, ", "))
		}
		raw, err := os.ReadFile(*resume)
		if err != nil {
			return fmt.Errorf("resume: %w", err)
		}
		_, info, err := train.LoadModel(*resume, raw)
		if err != nil {
			return err
		}
		pool, err := loadPool(e, *data, info.ImageSize)
		if err != nil {
			return err
		}
		build = func() (*train.Pretrainer, error) { return train.ResumePretrainer(*resume, raw, pool.Images) }
	} else {
		if _, ok := pretext.Lookup(*task); !ok {
			return usagef("-task %q: want one of %s", *task, strings.Join(pretext.Names(), ", "))
		}
		if *optimizer != "sgd" && *optimizer != "adam" {
			return usagef("-optimizer %q: want sgd or adam", *optimizer)
		}
		if err := checkSize(*size); err != nil {
			return err
		}
		if *samples <= 0 && *epochs <= 0 {
			return usagef("the budget must be positive: -samples %d, -epochs %g", *samples, *epochs)
		}
		if *batch <= 0 || *lr <= 0 || *hidden <= 0 {
			return usagef("-batch, -lr and -hidden must be positive")
		}
		trunk, err := trunkConfig(*widths, *convs)
		if err != nil {
			return err
		}
		if _, err := train.NewTask(*task, *size, trunk); err != nil {
			return usageError{err.Error()}
		}
		cfg := def
		cfg.Task, cfg.ImageSize, cfg.Trunk, cfg.Hidden = *task, *size, trunk, *hidden
		cfg.Samples, cfg.Epochs, cfg.Batch, cfg.LR, cfg.Optimizer = *samples, *epochs, *batch, *lr, *optimizer
		cfg.WeightDecay, cfg.Warmup, cfg.Seed = *wd, *warmup, *seed
		pool, err := loadPool(e, *data, *size)
		if err != nil {
			return err
		}
		build = func() (*train.Pretrainer, error) { return train.NewPretrainer(cfg, pool.Images) }
	}
	p, err := build()
	if err != nil {
		return err
	}
	c := p.Config
	fmt.Fprintf(e.stderr, "pretraining on %s: %d steps of %d samples, trunk %v (%d parameters), %s, seed %d\n",
		c.Task, p.Steps(), c.Batch, c.Trunk.Widths, p.Model.Trunk.NumParams(), c.Optimizer, c.Seed)
	if p.StepsDone() > 0 {
		fmt.Fprintf(e.stderr, "resuming at step %d\n", p.StepsDone())
	}
	var reps *replicas
	if *workers > 1 {
		if images := max(1, c.Batch/p.Task.SamplesPerImage()); *workers > images {
			return usagef("-workers %d: a step has only %d images to share (raise -batch)", *workers, images)
		}
		if reps, err = startReplicas(p, *workers, build); err != nil {
			return err
		}
		defer reps.stop()
		fmt.Fprintf(e.stderr, "%d data-parallel workers\n", *workers)
	}

	saveCheckpoint := func() error {
		return writeFile(*checkpoint, p.SaveCheckpoint)
	}
	view := newProgressView(e.stderr)
	lastReport, lastCheckpoint := time.Now(), time.Now()
	for {
		if e.ctx.Err() != nil {
			reps.stop() // the others roll back to replica 0's step
			if err := saveCheckpoint(); err != nil {
				view.Done()
				return fmt.Errorf("interrupted, and the checkpoint could not be saved: %w", err)
			}
			view.Line("interrupted at step %d of %d; checkpoint saved to %s\ncontinue with: tessera pretrain -data %s -resume %s -out %s",
				p.StepsDone(), p.Steps(), *checkpoint, *data, *checkpoint, *out)
			return errInterrupted
		}
		if !p.Step() {
			if p.Err() == nil {
				break
			}
			reps.stop()
			view.Line("%v\ncarrying on with one worker", p.Err())
			p.Shard(0, 1, nil)
			continue
		}
		if time.Since(lastReport) >= view.every {
			view.Report(p.Progress())
			lastReport = time.Now()
		}
		if *every > 0 && time.Since(lastCheckpoint) >= *every {
			if err := saveCheckpoint(); err != nil {
				return err
			}
			lastCheckpoint = time.Now()
		}
	}
	reps.stop()
	final := p.Progress()
	view.Report(final)
	view.Done()
	if err := writeFile(*out, func(w io.Writer) error { return train.SaveModel(w, p.Model, p.Info(nil)) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "pretrained %s trunk saved to %s (final pretext loss %.4f, accuracy %.1f%%)\n",
		c.Task, *out, final.Loss, 100*final.Accuracy)
	return nil
}

// replicas runs replicas 1 … K−1 of a data-parallel run in goroutines over
// a LocalGroup; the caller steps replica 0 and reads its progress. Each
// replica steps until the budget is spent or the group breaks.
type replicas struct {
	group *train.LocalGroup
	wg    sync.WaitGroup
}

// startReplicas makes p replica 0 of k and starts the others, built by build.
func startReplicas(p *train.Pretrainer, k int, build func() (*train.Pretrainer, error)) (*replicas, error) {
	r := &replicas{group: train.NewLocalGroup(k)}
	others := make([]*train.Pretrainer, k-1)
	for i := range others {
		q, err := build()
		if err != nil {
			return nil, err
		}
		others[i] = q
	}
	p.Shard(0, k, r.group.Member(0))
	for i, q := range others {
		q.Shard(i+1, k, r.group.Member(i+1))
		r.wg.Go(func() {
			defer func() {
				if v := recover(); v != nil { // a bug in one worker: report it, let the run go on
					r.group.Break(fmt.Errorf("worker %d failed: %v", i+1, v))
				}
			}()
			for q.Step() {
			}
		})
	}
	return r, nil
}

// stop breaks the group (replicas mid-step roll back to where replica 0
// stands, between steps) and waits for the goroutines. It may be called
// more than once, and on nil.
func (r *replicas) stop() {
	if r == nil {
		return
	}
	r.group.Break(train.ErrStopped)
	r.wg.Wait()
}
