package experiment

import (
	"math"
	"testing"

	"github.com/tessera-ssl/tessera/train"
)

// TestSummarize checks the grouping by (task, method) and the statistics:
// the mean and the sample (n − 1) standard deviation over seeds, 0 for one
// seed, and the mean pretext accuracy.
func TestSummarize(t *testing.T) {
	run := func(seed uint64, task, method string, acc, pretext float64) RunResult {
		return RunResult{Seed: seed, Task: task, Method: method, Eval: train.Evaluation{Accuracy: acc}, PretextAccuracy: pretext}
	}
	runs := []RunResult{
		run(1, "", "scratch", 0.30, 0),
		run(1, "rotation", "linear", 0.40, 0.8),
		run(2, "", "scratch", 0.32, 0),
		run(2, "rotation", "linear", 0.44, 0.9),
		run(3, "", "scratch", 0.34, 0),
		run(1, "jigsaw", "knn", 0.25, 0.5),
	}
	got := Summarize(runs)
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-12 }
	for i, want := range []Summary{
		{Task: "", Method: "scratch", Mean: 0.32, Std: 0.02},
		{Task: "rotation", Method: "linear", Mean: 0.42, Std: math.Sqrt(0.0008), PretextAccuracy: 0.85},
		{Task: "jigsaw", Method: "knn", Mean: 0.25, Std: 0, PretextAccuracy: 0.5},
	} {
		if i >= len(got) {
			t.Fatalf("%d summaries, want 3", len(got))
		}
		g := got[i]
		if g.Task != want.Task || g.Method != want.Method || !near(g.Mean, want.Mean) || !near(g.Std, want.Std) || !near(g.PretextAccuracy, want.PretextAccuracy) {
			t.Errorf("summary %d = %s/%s %.6f ± %.6f (pretext %.3f), want %s/%s %.6f ± %.6f (pretext %.3f)",
				i, g.Task, g.Method, g.Mean, g.Std, g.PretextAccuracy, want.Task, want.Method, want.Mean, want.Std, want.PretextAccuracy)
		}
	}
}
