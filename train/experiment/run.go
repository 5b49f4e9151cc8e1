package experiment

import (
	"context"
	"fmt"
	"github.com/tessera-ssl/tessera/imageio"
	"slices"
	"strings"
	"time"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/train"
)

// Run runs the comparison; see RunContext.
func Run(cfg Config, pool, labeled, test *imageio.Dataset, report func(string)) (*Result, error) {
	return RunContext(context.Background(), cfg, pool, labeled, test, report)
}

// RunContext runs, for each seed s = 1..cfg.Seeds: draw
// LabelsPerClass labeled images per class (seed s); train the scratch
// baseline on them; then for every task pretrain on pool (seed s) and train
// a linear probe and a fine-tuned classifier on the same labeled images, and
// classify by kNN. Every model is evaluated on test. report (may be nil)
// receives a line per finished run. When ctx is cancelled it returns the
// results so far (Complete false) with ctx's error.
func RunContext(ctx context.Context, cfg Config, pool, labeled, test *imageio.Dataset, report func(string)) (*Result, error) {
	if report == nil {
		report = func(string) {}
	}
	switch {
	case cfg.Seeds < 1:
		return nil, fmt.Errorf("experiment: need at least one seed, have %d", cfg.Seeds)
	case pool == nil || pool.Len() == 0:
		return nil, fmt.Errorf("experiment: the unlabeled pool is empty")
	case labeled == nil || !labeled.Labeled() || test == nil || !test.Labeled():
		return nil, fmt.Errorf("experiment: need labeled training and test images")
	case strings.Join(labeled.Classes, "\x00") != strings.Join(test.Classes, "\x00"):
		return nil, fmt.Errorf("experiment: training classes %v differ from test classes %v", labeled.Classes, test.Classes)
	}
	for _, m := range cfg.Methods {
		if !slices.Contains(Methods, m) {
			return nil, fmt.Errorf("experiment: unknown method %q (want some of %s)", m, strings.Join(Methods, ", "))
		}
	}
	for _, t := range cfg.Tasks {
		if _, err := train.NewTask(t, cfg.Pretrain.ImageSize, cfg.Pretrain.Trunk); err != nil {
			return nil, fmt.Errorf("experiment: %w", err)
		}
	}
	res := &Result{Config: cfg, Pool: pool.Len(), Test: test.Len(), Classes: test.Classes}
	every := cfg.ProgressEvery
	first := max(1, cfg.FirstSeed)
	for s := first; s < first+cfg.Seeds; s++ {
		seed := uint64(s)
		subset := labeled
		if cfg.LabelsPerClass > 0 {
			var err error
			if subset, err = train.KPerClass(labeled, cfg.LabelsPerClass, seed); err != nil {
				return nil, fmt.Errorf("experiment: %w", err)
			}
		}
		res.Labeled = subset.Len()
		downstream := func(task string, fc train.FinetuneConfig, p *train.Pretrainer) error {
			fc.Seed = seed
			start := time.Now()
			var pre *nn.Trunk
			if p != nil {
				pre = p.Model.Trunk
			}
			f, err := train.NewFinetuner(fc, pre, cfg.Pretrain.Trunk, subset, pool.Images)
			if err != nil {
				return fmt.Errorf("experiment: %w", err)
			}
			if fc.Mode == train.SemiSupervised && pool.Labeled() {
				f.WatchPseudoLabels(pool.Labels)
			}
			if err := f.Run(ctx, cfg.Progress, every); err != nil {
				return err
			}
			fp := f.Progress()
			r := RunResult{Seed: seed, Task: task, Method: fc.Mode, Eval: train.Evaluate(f.Classifier(), test), Seconds: time.Since(start).Seconds(),
				Steps: f.StepsDone(), PseudoLabeled: fp.PseudoLabeled, PseudoAccuracy: fp.PseudoAccuracy}
			if p != nil {
				pr := p.Progress()
				r.PretextLoss, r.PretextAccuracy = pr.Loss, pr.Accuracy
			}
			res.Runs = append(res.Runs, r)
			report(r.line())
			return nil
		}
		sc := cfg.Scratch
		sc.Mode = train.Scratch
		if err := downstream("", sc, nil); err != nil {
			return res.finish(), err
		}
		if cfg.SemiScratch {
			sm := cfg.Semi
			sm.Mode = train.SemiSupervised
			if err := downstream("", sm, nil); err != nil {
				return res.finish(), err
			}
		}
		for _, task := range cfg.Tasks {
			pc := cfg.Pretrain
			pc.Task, pc.Seed = task, seed
			p, err := train.NewPretrainer(pc, pool.Images)
			if err != nil {
				return res.finish(), fmt.Errorf("experiment: %w", err)
			}
			report(fmt.Sprintf("seed %d: %s pretraining: %d steps of %d samples on %d images",
				seed, task, p.Steps(), pc.Batch, pool.Len()))
			start := time.Now()
			if err := p.Run(ctx, cfg.Progress, every); err != nil {
				return res.finish(), err
			}
			pr := p.Progress()
			report(fmt.Sprintf("seed %d: %s pretraining done: loss %.4f, pretext accuracy %.1f%%, %s",
				seed, task, pr.Loss, 100*pr.Accuracy, time.Since(start).Round(time.Second)))
			for _, m := range cfg.methods() {
				var err error
				switch m {
				case MethodLinear:
					lc := cfg.Linear
					lc.Mode = train.LinearProbe
					err = downstream(task, lc, p)
				case MethodFineTune:
					fc := cfg.FineTune
					fc.Mode = train.FineTune
					err = downstream(task, fc, p)
				case MethodSemi:
					sm := cfg.Semi
					sm.Mode = train.SemiSupervised
					err = downstream(task, sm, p)
				case MethodKNN:
					if cfg.KNN <= 0 {
						continue
					}
					if err := ctx.Err(); err != nil {
						return res.finish(), err
					}
					start := time.Now()
					r := RunResult{Seed: seed, Task: task, Method: MethodKNN, Eval: train.KNN(p.Model.Trunk, subset, test, cfg.KNN),
						PretextLoss: pr.Loss, PretextAccuracy: pr.Accuracy, Seconds: time.Since(start).Seconds()}
					res.Runs = append(res.Runs, r)
					report(r.line())
				}
				if err != nil {
					return res.finish(), err
				}
			}
		}
	}
	res.finish().Complete = true
	return res, nil
}
