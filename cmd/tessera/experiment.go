package main

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/train/experiment"
)

const experimentAbout = `
Usage: tessera experiment -train DIR -test DIR [flags]

Run the full comparison. For each seed 1..-seeds: draw -labels-per-class
labeled images per class from -train; train the supervised baseline from
scratch on them; then for each pretext task pretrain a trunk on every -train
image (labels unused) and evaluate it on the same labeled images three ways:
linear probe (frozen trunk), fine-tuning (all layers), and kNN (cosine
similarity of pooled trunk features; no training). Every model is tested on
-test. Writes results.json (every run) and results.md (the table: mean ±
standard deviation of test accuracy over seeds) into -out.

Both directories are ImageFolders: DIR/<class>/<images>; -pool may name
another directory of unlabeled images to pretrain on. The defaults are the
full comparison on CIFAR-10 (100 labels per class, 3 seeds, every pretext task):
  tessera experiment -train cifar10/train -test cifar10/test -out results/

Ctrl-C writes the results so far (marked incomplete) and exits with code 130.
`

func runExperiment(e *env, args []string) error {
	def := experiment.Default(32)
	fs := flagSet(e, "experiment", experimentAbout)
	trainDir := fs.String("train", "", "labeled training `directory` (required); all its images form the pretraining pool")
	testDir := fs.String("test", "", "labeled test `directory` (required)")
	poolDir := fs.String("pool", "", "`directory` of unlabeled images to pretrain on (default: every -train image)")
	perClass := fs.Int("labels-per-class", def.LabelsPerClass, "labeled training images per class (`K`; 0 = all)")
	tasks := fs.String("tasks", strings.Join(def.Tasks, ","), "pretext `tasks`, comma-separated")
	seeds := fs.Int("seeds", def.Seeds, "number of `seeds` (repetitions)")
	firstSeed := fs.Int("first-seed", 1, "the first `seed`: runs use seeds first-seed, first-seed+1, … (to split seeds between processes)")
	samples := fs.Int("samples", def.Pretrain.Samples, "pretraining budget in pretext samples (`n`)")
	pretrainEpochs := fs.Float64("pretrain-epochs", 0, "pretraining budget in `passes` over the pool (overrides -samples when > 0)")
	batch := fs.Int("batch", def.Pretrain.Batch, "pretext `samples` per pretraining step")
	lr := fs.Float64("lr", def.Pretrain.LR, "pretraining peak learning `rate`")
	epochs := fs.Int("epochs", def.FineTune.Epochs, "`epochs` of fine-tuning and of scratch training")
	linearEpochs := fs.Int("linear-epochs", def.Linear.Epochs, "`epochs` of linear-probe training")
	ftBatch := fs.Int("ft-batch", def.FineTune.Batch, "labeled `images` per downstream step")
	ftLR := fs.Float64("ft-lr", def.FineTune.LR, "fine-tuning and scratch peak learning `rate`")
	linearLR := fs.Float64("linear-lr", def.Linear.LR, "linear-probe peak learning `rate`")
	trunkScale := fs.Float64("trunk-lr-scale", def.FineTune.TrunkLRScale, "fine-tuning: trunk learning rate = -ft-lr × this `factor`")
	knn := fs.Int("knn", def.KNN, "`k` of the kNN probe (0 = skip it)")
	widths := fs.String("width", widthsString(def.Pretrain.Trunk.Widths), "trunk stage `widths`, comma-separated")
	convs := fs.Int("convs", def.Pretrain.Trunk.ConvsPerStage, "`n` 3×3 convolutions per trunk stage")
	size := fs.Int("size", def.Pretrain.ImageSize, "working image side in `pixels`")
	out := fs.String("out", "results", "`directory` for results.json and results.md")
	methods := fs.String("methods", "linear,finetune,knn", "evaluations of every pretrained trunk, some of "+strings.Join(experiment.Methods, ", "))
	ema := fs.Float64("ema", def.FineTune.EMA, "`decay` of the weight average every downstream run evaluates (0 = off)")
	smoothing := fs.Float64("smoothing", def.FineTune.Smoothing, "label smoothing `ε` of every downstream run")
	semiEpochs := fs.Int("semi-epochs", 0, "labeled `epochs` of semi-supervised training (0 = -epochs)")
	semiRatio := fs.Int("semi-ratio", def.Semi.Semi.Ratio, "semi-supervised: unlabeled `images` per labeled image per step")
	semiThreshold := fs.Float64("semi-threshold", def.Semi.Semi.Threshold, "semi-supervised: pseudo-label confidence `threshold`")
	semiScratch := fs.Bool("semi-scratch", false, "also train semi-supervised from random weights (no pretraining)")
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if err := required(fs, "train", "test", "out"); err != nil {
		return err
	}
	cfg := def
	cfg.Tasks = nil
	for _, t := range strings.Split(*tasks, ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if _, ok := pretext.Lookup(t); !ok {
			return usagef("-tasks: unknown task %q (want some of %s)", t, strings.Join(pretext.Names(), ", "))
		}
		cfg.Tasks = append(cfg.Tasks, t)
	}
	switch {
	case *seeds < 1:
		return usagef("-seeds %d: need at least 1", *seeds)
	case *perClass < 0 || *knn < 0:
		return usagef("-labels-per-class and -knn must not be negative")
	case *samples <= 0 && *pretrainEpochs <= 0 && len(cfg.Tasks) > 0:
		return usagef("the pretraining budget must be positive")
	case *batch <= 0 || *ftBatch <= 0 || *epochs <= 0 || *linearEpochs <= 0 || *lr <= 0 || *ftLR <= 0 || *linearLR <= 0:
		return usagef("batches, epochs and learning rates must be positive")
	}
	if err := checkSize(*size); err != nil {
		return err
	}
	trunk, err := trunkConfig(*widths, *convs)
	if err != nil {
		return err
	}
	for _, t := range cfg.Tasks {
		if _, err := train.NewTask(t, *size, trunk); err != nil {
			return usageError{err.Error()}
		}
	}
	if *firstSeed < 1 {
		return usagef("-first-seed %d: seeds start at 1", *firstSeed)
	}
	cfg.Seeds, cfg.FirstSeed, cfg.LabelsPerClass, cfg.KNN = *seeds, *firstSeed, *perClass, *knn
	cfg.Pretrain.ImageSize, cfg.Pretrain.Trunk = *size, trunk
	cfg.Pretrain.Samples, cfg.Pretrain.Epochs, cfg.Pretrain.Batch, cfg.Pretrain.LR = *samples, *pretrainEpochs, *batch, *lr
	cfg.FineTune.Epochs, cfg.FineTune.Batch, cfg.FineTune.LR, cfg.FineTune.TrunkLRScale = *epochs, *ftBatch, *ftLR, *trunkScale
	cfg.Scratch.Epochs, cfg.Scratch.Batch, cfg.Scratch.LR = *epochs, *ftBatch, *ftLR
	cfg.Linear.Epochs, cfg.Linear.Batch, cfg.Linear.LR = *linearEpochs, *ftBatch, *linearLR
	cfg.Methods = []string{} // not nil: an empty -methods evaluates no trunk
	for _, m := range strings.Split(*methods, ",") {
		if m = strings.TrimSpace(m); m == "" {
			continue
		}
		if !slices.Contains(experiment.Methods, m) {
			return usagef("-methods: unknown method %q (want some of %s)", m, strings.Join(experiment.Methods, ", "))
		}
		cfg.Methods = append(cfg.Methods, m)
	}
	cfg.Semi = cfg.FineTune
	cfg.Semi.Semi.Ratio, cfg.Semi.Semi.Threshold = *semiRatio, *semiThreshold
	if *semiEpochs > 0 {
		cfg.Semi.Epochs = *semiEpochs
	}
	cfg.SemiScratch = *semiScratch
	for _, c := range []*train.FinetuneConfig{&cfg.FineTune, &cfg.Scratch, &cfg.Linear, &cfg.Semi} {
		c.EMA, c.Smoothing = *ema, *smoothing
	}

	labeled, err := loadLabeled(e, *trainDir, *size)
	if err != nil {
		return err
	}
	test, err := loadLabeled(e, *testDir, *size)
	if err != nil {
		return err
	}
	if !slices.Equal(labeled.Classes, test.Classes) {
		return fmt.Errorf("the class folders differ: %s has %v, %s has %v", *trainDir, labeled.Classes, *testDir, test.Classes)
	}
	pool := &imageio.Dataset{Images: labeled.Images}
	if *poolDir != "" {
		if pool, err = loadPool(e, *poolDir, *size); err != nil {
			return err
		}
	}

	view := newProgressView(e.stderr)
	cfg.Progress, cfg.ProgressEvery = view.Report, view.every
	res, runErr := experiment.RunContext(e.ctx, cfg, pool, labeled, test, func(s string) { view.Line("%s", s) })
	view.Done()
	if res == nil {
		return runErr
	}
	interrupted := errors.Is(runErr, context.Canceled)
	if runErr != nil && !interrupted {
		return runErr
	}
	jsonPath, mdPath := filepath.Join(*out, "results.json"), filepath.Join(*out, "results.md")
	if err := writeFile(jsonPath, res.WriteJSON); err != nil {
		return err
	}
	if err := writeFile(mdPath, res.WriteMarkdown); err != nil {
		return err
	}
	if interrupted {
		fmt.Fprintf(e.stderr, "interrupted after %d runs; the results so far are in %s and %s\n", len(res.Runs), jsonPath, mdPath)
		return errInterrupted
	}
	if err := res.WriteMarkdown(e.stdout); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nwrote %s and %s\n", jsonPath, mdPath)
	return nil
}
