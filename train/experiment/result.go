package experiment

import (
	"encoding/json"
	"fmt"
	"io"

	"gonum.org/v1/gonum/stat"

	"github.com/tessera-ssl/tessera/train"
)

// RunResult is one trained and evaluated model.
type RunResult struct {
	Seed   uint64           `json:"seed"`
	Task   string           `json:"task,omitempty"` // pretext task; "" for scratch
	Method string           `json:"method"`         // scratch, linear, finetune or knn
	Eval   train.Evaluation `json:"eval"`
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

// Result holds every run and the summaries.
type Result struct {
	Config   Config      `json:"config"`
	Pool     int         `json:"pool"`    // unlabeled images for pretraining
	Labeled  int         `json:"labeled"` // labeled images per seed
	Test     int         `json:"test"`    // test images
	Classes  []string    `json:"classes"`
	Runs     []RunResult `json:"runs"`
	Summary  []Summary   `json:"summary"`
	Complete bool        `json:"complete"` // false when the experiment was interrupted
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

// finish computes the summaries from the runs so far.
func (res *Result) finish() *Result {
	res.Summary = Summarize(res.Runs)
	return res
}

// Summarize groups runs by (task, method), in order of first appearance:
// the mean test accuracy over seeds and its sample standard deviation
// s = √(Σ(aᵢ − ā)² / (n − 1)), 0 for a single seed; and the mean pretext
// accuracy.
func Summarize(runs []RunResult) []Summary {
	var sums []Summary
	index := map[[2]string]int{}
	pretext := map[int]float64{}
	for _, r := range runs {
		key := [2]string{r.Task, r.Method}
		i, ok := index[key]
		if !ok {
			i = len(sums)
			index[key] = i
			sums = append(sums, Summary{Task: r.Task, Method: r.Method})
		}
		sums[i].Accuracies = append(sums[i].Accuracies, r.Eval.Accuracy)
		pretext[i] += r.PretextAccuracy
	}
	for i := range sums {
		s := &sums[i]
		s.Mean = stat.Mean(s.Accuracies, nil)
		if len(s.Accuracies) > 1 {
			s.Std = stat.StdDev(s.Accuracies, nil)
		}
		s.PretextAccuracy = pretext[i] / float64(len(s.Accuracies))
	}
	return sums
}

// Find returns the summary of a task's method ("" task for scratch).
func (res *Result) Find(task, method string) (Summary, bool) {
	for _, s := range res.Summary {
		if s.Task == task && s.Method == method {
			return s, true
		}
	}
	return Summary{}, false
}

func (r RunResult) line() string {
	name := r.Method
	if r.Task != "" {
		name = r.Task + " " + r.Method
	}
	return fmt.Sprintf("seed %d: %s: test accuracy %.2f%% (top-3 %.2f%%)", r.Seed, name, 100*r.Eval.Accuracy, 100*r.Eval.Top3)
}

// WriteJSON writes the result as indented JSON.
func (res *Result) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(res)
}
