package experiment

import (
	"fmt"
	"io"
	"slices"
	"strings"
)

// WriteMarkdown writes the summary table: one row per pretext task (and the
// scratch baseline), test accuracy as mean ± standard deviation over seeds.
func (res *Result) WriteMarkdown(w io.Writer) error {
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
