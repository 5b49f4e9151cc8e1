package train

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
)

// ExperimentConfig describes the full comparison: for every seed, a
// supervised baseline trained from scratch, and for every pretext task a
// pretrained trunk evaluated by linear probe, fine-tuning and kNN, all on the
// same labeled images and test set.
type ExperimentConfig struct {
	Tasks          []string       `json:"tasks"`
	Seeds          int            `json:"seeds"`               // runs use seeds FirstSeed..FirstSeed+Seeds−1
	FirstSeed      int            `json:"firstSeed,omitempty"` // 0 means 1
	LabelsPerClass int            `json:"labelsPerClass"`      // labeled images per class drawn for each seed; 0 uses them all
	Pretrain       PretrainConfig `json:"pretrain"`            // Task and Seed are set per run
	FineTune       FinetuneConfig `json:"finetune"`            // Mode and Seed are set per run
	Linear         FinetuneConfig `json:"linear"`
	Scratch        FinetuneConfig `json:"scratch"` // same schedule as FineTune, trunk at the full rate
	KNN            int            `json:"knn"`     // neighbours for the kNN probe; 0 skips it
	// Methods are the evaluations of every pretrained trunk, some of
	// MethodLinear, MethodFineTune, MethodKNN (when KNN > 0) and MethodSemi;
	// nil means linear, finetune and knn.
	Methods []string       `json:"methods,omitempty"`
	Semi    FinetuneConfig `json:"semi"` // MethodSemi's downstream run
	// SemiScratch also trains Semi from random weights (the unlabeled
	// images used downstream only, no pretraining), as task "".
	SemiScratch bool `json:"semiScratch,omitempty"`

	// Progress, when set, receives step-level progress of every training
	// run every ProgressEvery.
	Progress      Reporter      `json:"-"`
	ProgressEvery time.Duration `json:"-"`
}

// DefaultExperiment returns the comparison on imageSize px images with
// every pretext task, 3 seeds and 100 labels per class.
func DefaultExperiment(imageSize int) ExperimentConfig {
	ft := DefaultFinetune(FineTune)
	sc := ft
	sc.Mode, sc.TrunkLRScale = Scratch, 1
	return ExperimentConfig{
		Tasks: []string{"rotation", "jigsaw", "colorization", "context"}, Seeds: 3, LabelsPerClass: 100,
		Pretrain: DefaultPretrain("", imageSize), FineTune: ft, Linear: DefaultFinetune(LinearProbe), Scratch: sc,
		Semi: DefaultFinetune(SemiSupervised), KNN: 20, ProgressEvery: 5 * time.Second,
	}
}

// Evaluation methods of an experiment.
const (
	MethodScratch  = "scratch"
	MethodLinear   = "linear"
	MethodFineTune = "finetune"
	MethodKNN      = "knn"
	MethodSemi     = "semi"
)

// Methods lists the evaluations of a pretrained trunk.
var Methods = []string{MethodLinear, MethodFineTune, MethodKNN, MethodSemi}

// methods is the configured evaluations, in Methods' order.
func (c ExperimentConfig) methods() []string {
	if c.Methods == nil {
		return []string{MethodLinear, MethodFineTune, MethodKNN}
	}
	var out []string
	for _, m := range Methods {
		if slices.Contains(c.Methods, m) {
			out = append(out, m)
		}
	}
	return out
}

// RunResult is one trained and evaluated model.
type RunResult struct {
	Seed   uint64     `json:"seed"`
	Task   string     `json:"task,omitempty"` // pretext task; "" for scratch
	Method string     `json:"method"`         // scratch, linear, finetune or knn
	Eval   Evaluation `json:"eval"`
	// Pretext loss and accuracy at the end of pretraining (task runs).
	PretextLoss     float64 `json:"pretextLoss,omitempty"`
	PretextAccuracy float64 `json:"pretextAccuracy,omitempty"`
	Seconds         float64 `json:"seconds"`         // training time of this method (pretraining excluded)
	Steps           int     `json:"steps,omitempty"` // optimizer steps of a trained method
	// Semi-supervised runs: the share of unlabeled images pseudo-labelled
	// and of those the share right, over the last steps.
	PseudoLabeled  float64 `json:"pseudoLabeled,omitempty"`
	PseudoAccuracy float64 `json:"pseudoAccuracy,omitempty"`
}

// Summary is one method's test accuracy over seeds.
type Summary struct {
	Task       string    `json:"task,omitempty"`
	Method     string    `json:"method"`
	Mean       float64   `json:"mean"` // mean top-1 accuracy, fraction
	Std        float64   `json:"std"`  // sample standard deviation over seeds (0 for one seed)
	Accuracies []float64 `json:"accuracies"`
	// Mean pretext accuracy at the end of pretraining (task runs).
	PretextAccuracy float64 `json:"pretextAccuracy,omitempty"`
}

// ExperimentResult holds every run and the summaries.
type ExperimentResult struct {
	Config   ExperimentConfig `json:"config"`
	Pool     int              `json:"pool"`    // unlabeled images for pretraining
	Labeled  int              `json:"labeled"` // labeled images per seed
	Test     int              `json:"test"`    // test images
	Classes  []string         `json:"classes"`
	Runs     []RunResult      `json:"runs"`
	Summary  []Summary        `json:"summary"`
	Complete bool             `json:"complete"` // false when the experiment was interrupted
	// Browser, when set, is what the recipe costs in the browser app
	// (experiments/budget fills it in).
	Browser *BrowserBudget `json:"browser,omitempty"`
}

// BrowserBudget is the browser time of an experiment's best recipe,
// pretraining and downstream together, computed from the WebAssembly
// throughput of the same configuration:
//
//	minutes = (pretraining samples / pretraining rate
//	          + steps · (t₀ + r·(t₁ − t₀))) / 60
//
// where t₀ and t₁ are the seconds of a semi-supervised step with no and
// with every unlabeled image pseudo-labelled, and r is the pseudo-labelled
// share the runs ended with (the largest of the run: an upper bound).
type BrowserBudget struct {
	Measured        string  `json:"measured"` // how and where the rates were measured
	Method          string  `json:"method"`
	PretrainSamples int     `json:"pretrainSamples"`
	PretrainRate    float64 `json:"pretrainRate"` // samples/s on one worker
	DownstreamSteps int     `json:"downstreamSteps"`
	StepSeconds     float64 `json:"stepSeconds"` // t₀, or the plain fine-tuning step
	StepSecondsAll  float64 `json:"stepSecondsAll,omitempty"`
	PseudoLabeled   float64 `json:"pseudoLabeled,omitempty"` // r
	Minutes         float64 `json:"minutes"`                 // on one worker
}

// RunExperiment runs the comparison; see RunExperimentContext.
func RunExperiment(cfg ExperimentConfig, pool, labeled, test *imageio.Dataset, report func(string)) (*ExperimentResult, error) {
	return RunExperimentContext(context.Background(), cfg, pool, labeled, test, report)
}

// RunExperimentContext runs, for each seed s = 1..cfg.Seeds: draw
// LabelsPerClass labeled images per class (seed s); train the scratch
// baseline on them; then for every task pretrain on pool (seed s) and train
// a linear probe and a fine-tuned classifier on the same labeled images, and
// classify by kNN. Every model is evaluated on test. report (may be nil)
// receives a line per finished run. When ctx is cancelled it returns the
// results so far (Complete false) with ctx's error.
func RunExperimentContext(ctx context.Context, cfg ExperimentConfig, pool, labeled, test *imageio.Dataset, report func(string)) (*ExperimentResult, error) {
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
		if _, err := NewTask(t, cfg.Pretrain.ImageSize, cfg.Pretrain.Trunk); err != nil {
			return nil, fmt.Errorf("experiment: %w", err)
		}
	}
	res := &ExperimentResult{Config: cfg, Pool: pool.Len(), Test: test.Len(), Classes: test.Classes}
	every := cfg.ProgressEvery
	first := max(1, cfg.FirstSeed)
	for s := first; s < first+cfg.Seeds; s++ {
		seed := uint64(s)
		train := labeled
		if cfg.LabelsPerClass > 0 {
			var err error
			if train, err = KPerClass(labeled, cfg.LabelsPerClass, seed); err != nil {
				return nil, fmt.Errorf("experiment: %w", err)
			}
		}
		res.Labeled = train.Len()
		downstream := func(task string, fc FinetuneConfig, p *Pretrainer) error {
			fc.Seed = seed
			start := time.Now()
			var pre *nn.Trunk
			if p != nil {
				pre = p.Model.Trunk
			}
			f, err := NewFinetuner(fc, pre, cfg.Pretrain.Trunk, train, pool.Images)
			if err != nil {
				return fmt.Errorf("experiment: %w", err)
			}
			if fc.Mode == SemiSupervised && pool.Labeled() {
				f.WatchPseudoLabels(pool.Labels)
			}
			if err := f.Run(ctx, cfg.Progress, every); err != nil {
				return err
			}
			fp := f.Progress()
			r := RunResult{Seed: seed, Task: task, Method: fc.Mode, Eval: Evaluate(f.Classifier(), test), Seconds: time.Since(start).Seconds(),
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
		sc.Mode = Scratch
		if err := downstream("", sc, nil); err != nil {
			return res.finish(), err
		}
		if cfg.SemiScratch {
			sm := cfg.Semi
			sm.Mode = SemiSupervised
			if err := downstream("", sm, nil); err != nil {
				return res.finish(), err
			}
		}
		for _, task := range cfg.Tasks {
			pc := cfg.Pretrain
			pc.Task, pc.Seed = task, seed
			p, err := NewPretrainer(pc, pool.Images)
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
					lc.Mode = LinearProbe
					err = downstream(task, lc, p)
				case MethodFineTune:
					fc := cfg.FineTune
					fc.Mode = FineTune
					err = downstream(task, fc, p)
				case MethodSemi:
					sm := cfg.Semi
					sm.Mode = SemiSupervised
					err = downstream(task, sm, p)
				case MethodKNN:
					if cfg.KNN <= 0 {
						continue
					}
					if err := ctx.Err(); err != nil {
						return res.finish(), err
					}
					start := time.Now()
					r := RunResult{Seed: seed, Task: task, Method: MethodKNN, Eval: KNN(p.Model.Trunk, train, test, cfg.KNN),
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

func (r RunResult) line() string {
	name := r.Method
	if r.Task != "" {
		name = r.Task + " " + r.Method
	}
	return fmt.Sprintf("seed %d: %s: test accuracy %.2f%% (top-3 %.2f%%)", r.Seed, name, 100*r.Eval.Accuracy, 100*r.Eval.Top3)
}

// finish computes the summaries from the runs so far.
func (res *ExperimentResult) finish() *ExperimentResult {
	res.Summary = nil
	index := map[[2]string]int{}
	pretext := map[[2]string]float64{}
	for _, r := range res.Runs {
		key := [2]string{r.Task, r.Method}
		i, ok := index[key]
		if !ok {
			i = len(res.Summary)
			index[key] = i
			res.Summary = append(res.Summary, Summary{Task: r.Task, Method: r.Method})
		}
		res.Summary[i].Accuracies = append(res.Summary[i].Accuracies, r.Eval.Accuracy)
		pretext[key] += r.PretextAccuracy
	}
	for i := range res.Summary {
		s := &res.Summary[i]
		s.Mean, s.Std = meanStd(s.Accuracies)
		s.PretextAccuracy = pretext[[2]string{s.Task, s.Method}] / float64(len(s.Accuracies))
	}
	return res
}

// meanStd returns the mean and the sample standard deviation (n−1).
func meanStd(xs []float64) (mean, std float64) {
	for _, x := range xs {
		mean += x / float64(len(xs))
	}
	if len(xs) < 2 {
		return mean, 0
	}
	for _, x := range xs {
		std += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(std / float64(len(xs)-1))
}

// Find returns the summary of a task's method ("" task for scratch).
func (res *ExperimentResult) Find(task, method string) (Summary, bool) {
	for _, s := range res.Summary {
		if s.Task == task && s.Method == method {
			return s, true
		}
	}
	return Summary{}, false
}

// WriteJSON writes the result as indented JSON.
func (res *ExperimentResult) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}

// WriteMarkdown writes the summary table: one row per pretext task (and the
// scratch baseline), test accuracy as mean ± standard deviation over seeds.
func (res *ExperimentResult) WriteMarkdown(w io.Writer) error {
	c := res.Config
	var b strings.Builder
	fmt.Fprintf(&b, "## Tessera: self-supervised pretraining vs. training from scratch\n\n")
	fmt.Fprintf(&b, "Test accuracy (%%, mean ± std over %d seed(s)) on %d test images of %d classes; "+
		"%d labeled training images per seed", c.Seeds, res.Test, len(res.Classes), res.Labeled)
	if c.LabelsPerClass > 0 {
		fmt.Fprintf(&b, " (%d per class)", c.LabelsPerClass)
	}
	budget := fmt.Sprintf("%d samples", c.Pretrain.Samples)
	if c.Pretrain.Epochs > 0 {
		budget = fmt.Sprintf("%g epochs", c.Pretrain.Epochs)
	}
	fmt.Fprintf(&b, "; pretraining on %d unlabeled images, %s each; trunk widths %v, %d×%d px images.\n\n",
		res.Pool, budget, c.Pretrain.Trunk.Widths, c.Pretrain.ImageSize, c.Pretrain.ImageSize)
	if !res.Complete {
		b.WriteString("**Incomplete: the experiment was interrupted.**\n\n")
	}
	knn := "kNN"
	if c.KNN > 0 {
		knn = fmt.Sprintf("kNN (k=%d)", c.KNN)
	}
	semi := slices.Contains(c.methods(), MethodSemi) || c.SemiScratch
	semiHead, semiRule := "", ""
	if semi {
		semiHead, semiRule = " Semi-supervised |", "---:|"
	}
	fmt.Fprintf(&b, "| Trunk | Linear probe | Fine-tune | %s |%s Pretext accuracy |\n", knn, semiHead)
	fmt.Fprintf(&b, "|---|---:|---:|---:|%s---:|\n", semiRule)
	cell := func(task, method string) string {
		s, ok := res.Find(task, method)
		switch {
		case !ok:
			return "–"
		case len(s.Accuracies) == 1 && c.Seeds > 1:
			return fmt.Sprintf("%.1f (1 seed)", 100*s.Mean)
		}
		return fmt.Sprintf("%.1f ± %.1f", 100*s.Mean, 100*s.Std)
	}
	semiCell := func(task string) string {
		if !semi {
			return ""
		}
		return " " + cell(task, MethodSemi) + " |"
	}
	fmt.Fprintf(&b, "| random init (scratch, supervised) | – | %s | – |%s – |\n", cell("", MethodScratch), semiCell(""))
	for _, t := range c.Tasks {
		pre := "–"
		for _, m := range Methods {
			if s, ok := res.Find(t, m); ok && s.PretextAccuracy > 0 {
				pre = fmt.Sprintf("%.1f", 100*s.PretextAccuracy)
				break
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |%s %s |\n", t, cell(t, MethodLinear), cell(t, MethodFineTune), cell(t, MethodKNN), semiCell(t), pre)
	}
	fmt.Fprintf(&b, "\nDownstream: %d epochs fine-tuning (trunk learning rate × %g), %d epochs linear probe",
		c.FineTune.Epochs, c.FineTune.TrunkLRScale, c.Linear.Epochs)
	if c.FineTune.EMA > 0 || c.FineTune.Smoothing > 0 {
		fmt.Fprintf(&b, "; weight EMA %g, label smoothing %g", c.FineTune.EMA, c.FineTune.Smoothing)
	}
	if semi {
		m := c.Semi.Semi
		fmt.Fprintf(&b, "; semi-supervised: %d labeled epochs with %d unlabeled images per labeled one, pseudo-labels above %g confidence, strong augmentation of %d operations and a %g cutout",
			c.Semi.Epochs, m.Ratio, m.Threshold, m.Ops, m.Cutout)
	}
	b.WriteString(".\n")
	if br := res.Browser; br != nil {
		fmt.Fprintf(&b, "\nBrowser cost of %s: %.1f minutes on one worker (%d pretraining samples at %.0f samples/s, then %d steps of %.3f–%.3f s with up to %.0f %% of the unlabeled images pseudo-labelled; %s).\n",
			br.Method, br.Minutes, br.PretrainSamples, br.PretrainRate, br.DownstreamSteps, br.StepSeconds, br.StepSecondsAll, 100*br.PseudoLabeled, br.Measured)
	}
	_, err := io.WriteString(w, b.String())
	return err
}
