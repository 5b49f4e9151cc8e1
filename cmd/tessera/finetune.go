package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

const finetuneAbout = `
Usage: tessera finetune (-model FILE | -scratch) -data DIR [flags]

Train a classifier on labeled images laid out as DIR/<class>/<images> (one
subfolder per class). Starting from a pretrained trunk (-model):

  -mode finetune  every layer trains; the trunk at -lr × -trunk-lr-scale
  -mode linear    linear probe: the trunk is frozen, only a linear classifier
                  on its pooled features trains
  -mode semi      semi-supervised: fine-tuning plus pseudo-labels on unlabeled
                  images (-unlabeled DIR; by default every -data image, its
                  label unused): each step the model labels -semi-ratio weakly
                  augmented unlabeled images per labeled one, and trains on a
                  strongly augmented view of those it is at least
                  -semi-threshold sure of

With -scratch the same kind of network starts from random weights and every
layer trains at -lr: the supervised baseline (with -mode semi: pseudo-labels
without pretraining). The classifier saved and evaluated is an exponential
moving average of the weights (-ema; 0 turns it off). -labels-per-class K keeps K
random images per class (chosen by -seed), to measure learning from few
labels. Training images are augmented with random crops (padding 1/8 of the
side) and horizontal flips unless -augment=false. The learning rate warms up
briefly, then follows a cosine decay to 0.

Ctrl-C saves the model trained so far to -out and exits with code 130.

Examples:
  tessera finetune -model rotation.safetensors -data cifar/train -labels-per-class 100 -out rot-ft.safetensors
  tessera finetune -scratch -data cifar/train -labels-per-class 100 -out scratch.safetensors
`

func runFinetune(e *env, args []string) error {
	def := train.DefaultFinetune(train.FineTune)
	fs := flagSet(e, "finetune", finetuneAbout)
	model := fs.String("model", "", "pretrained model `file` whose trunk to start from")
	scratch := fs.Bool("scratch", false, "start from random weights instead of -model")
	data := fs.String("data", "", "labeled image `directory`, one subfolder per class (required)")
	perClass := fs.Int("labels-per-class", 0, "use only this many random labeled images per class (`K`; 0 = all)")
	mode := fs.String("mode", train.FineTune, "training `mode`: finetune (all layers), linear (frozen trunk; needs -model) or semi")
	unlabeled := fs.String("unlabeled", "", "-mode semi: `directory` of unlabeled images (default: every -data image)")
	ema := fs.Float64("ema", def.EMA, "`decay` of the weight average that is saved and evaluated (0 = the weights themselves)")
	semiRatio := fs.Int("semi-ratio", def.Semi.Ratio, "-mode semi: unlabeled `images` per labeled image per step")
	semiThreshold := fs.Float64("semi-threshold", def.Semi.Threshold, "-mode semi: pseudo-label confidence `threshold`")
	epochs := fs.Int("epochs", def.Epochs, "passes over the labeled images")
	batch := fs.Int("batch", def.Batch, "images per optimizer step")
	lr := fs.Float64("lr", 0, "peak learning `rate` (0 = 0.05, or 0.1 for -mode linear)")
	trunkScale := fs.Float64("trunk-lr-scale", def.TrunkLRScale, "-mode finetune: the trunk's learning rate is -lr × this `factor`")
	wd := fs.Float64("wd", -1, "weight `decay` (negative = 5e-4, or 0 for -mode linear)")
	augment := fs.Bool("augment", true, "augment training images with random crops and flips")
	size := fs.Int("size", 32, "-scratch: working image side in `pixels` (a pretrained model brings its own)")
	widths := fs.String("width", widthsString(nn.DefaultTrunk().Widths), "-scratch: trunk stage `widths`, comma-separated")
	convs := fs.Int("convs", nn.DefaultTrunk().ConvsPerStage, "-scratch: `n` 3×3 convolutions per trunk stage")
	seed := fs.Uint64("seed", def.Seed, "random `seed` (label subset, head weights, batches, augmentation)")
	test := fs.String("test", "", "optional labeled `directory` to evaluate on after training")
	out := fs.String("out", "model.safetensors", "`file` to write the classifier to")
	if err := parse(fs, args, false); err != nil {
		return err
	}
	if err := required(fs, "data", "out"); err != nil {
		return err
	}
	switch {
	case *scratch && *model != "":
		return usagef("give -model or -scratch, not both")
	case !*scratch && *model == "":
		return usagef("give -model FILE (a pretrained trunk) or -scratch")
	case *mode != train.FineTune && *mode != train.LinearProbe && *mode != train.SemiSupervised:
		return usagef("-mode %q: want finetune, linear or semi", *mode)
	case *scratch && *mode == train.LinearProbe:
		return usagef("-mode linear needs a pretrained -model: a frozen random trunk learns nothing")
	case *unlabeled != "" && *mode != train.SemiSupervised:
		return usagef("-unlabeled is for -mode semi")
	case *perClass < 0 || *epochs <= 0 || *batch <= 0 || *lr < 0 || *trunkScale < 0:
		return usagef("-labels-per-class must not be negative; -epochs, -batch must be positive; -lr, -trunk-lr-scale not negative")
	}
	cfg := train.DefaultFinetune(*mode)
	if *scratch && *mode != train.SemiSupervised {
		cfg = train.DefaultFinetune(train.Scratch)
	}
	cfg.Epochs, cfg.Batch, cfg.Augment, cfg.Seed, cfg.EMA = *epochs, *batch, *augment, *seed, *ema
	cfg.Semi.Ratio, cfg.Semi.Threshold = *semiRatio, *semiThreshold
	if *lr > 0 {
		cfg.LR = *lr
	}
	if *wd >= 0 {
		cfg.WeightDecay = *wd
	}
	if cfg.Mode == train.FineTune || cfg.Mode == train.SemiSupervised {
		cfg.TrunkLRScale = *trunkScale
	}

	var pre *nn.Trunk
	var trunkCfg nn.TrunkConfig
	task := ""
	if *scratch {
		if err := checkSize(*size); err != nil {
			return err
		}
		var err error
		if trunkCfg, err = trunkConfig(*widths, *convs); err != nil {
			return err
		}
	} else {
		m, info, err := readModel(*model)
		if err != nil {
			return err
		}
		pre, trunkCfg, task = m.Trunk, m.Trunk.Config, info.Task
		if info.ImageSize > 0 {
			if isSet(fs, "size") && *size != info.ImageSize {
				fmt.Fprintf(e.stderr, "note: -size %d ignored: %s was trained on %d px images\n", *size, *model, info.ImageSize)
			}
			*size = info.ImageSize
		}
	}
	d, err := loadLabeled(e, *data, *size)
	if err != nil {
		return err
	}
	var pool []*pretext.Image
	if cfg.Mode == train.SemiSupervised {
		pool = d.Images
		if *unlabeled != "" {
			u, err := loadPool(e, *unlabeled, *size)
			if err != nil {
				return err
			}
			pool = u.Images
		}
	}
	if *perClass > 0 {
		if d, err = train.KPerClass(d, *perClass, *seed); err != nil {
			return fmt.Errorf("%s: %w", *data, err)
		}
	}
	f, err := train.NewFinetuner(cfg, pre, trunkCfg, d, pool)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%s on %d images of %d classes: %d steps of %d, trunk %v\n",
		cfg.Mode, d.Len(), len(d.Classes), f.Steps(), min(cfg.Batch, d.Len()), trunkCfg.Widths)

	view := newProgressView(e.stderr)
	err = f.Run(e.ctx, view.Report, view.every)
	view.Done()
	if errors.Is(err, context.Canceled) {
		if err := saveModel(*out, f.Classifier(), f.Info(task)); err != nil {
			return fmt.Errorf("interrupted, and the model could not be saved: %w", err)
		}
		fmt.Fprintf(e.stderr, "interrupted at step %d of %d; the model trained so far is saved to %s\n", f.StepsDone(), f.Steps(), *out)
		return errInterrupted
	} else if err != nil {
		return err
	}
	if err := saveModel(*out, f.Classifier(), f.Info(task)); err != nil {
		return err
	}
	p := f.Progress()
	fmt.Fprintf(e.stdout, "%s classifier saved to %s (final training loss %.4f, accuracy %.1f%%)\n", cfg.Mode, *out, p.Loss, 100*p.Accuracy)
	if *test != "" {
		td, err := loadLabeled(e, *test, *size)
		if err != nil {
			return err
		}
		ev, err := evaluate(f.Classifier(), d.Classes, td, *test)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "test accuracy %.2f%% (top-3 %.2f%%) on %d images\n", 100*ev.Accuracy, 100*ev.Top3, ev.N)
	}
	return nil
}

// isSet reports whether the flag was given on the command line.
func isSet(fs *flags, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
