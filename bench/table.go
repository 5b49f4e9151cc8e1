//go:build !js

package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"

	"gonum.org/v1/gonum/stat"
)

// summary is one configuration over all rounds.
type summary struct {
	config, label      string
	median, min, max   float64
	ticks              float64 // median fraction of 10 ms ticks delivered; -1 when not measured
	idleTicks          float64 // the same with nothing running
	lossFirst, lossEnd float64 // loss after warm-up of the first round, at the end of the last
	notes              []string
}

func summarize(results []result) []summary {
	var order []string
	by := map[string][]result{}
	for _, r := range results {
		if _, ok := by[r.Config]; !ok {
			order = append(order, r.Config)
		}
		by[r.Config] = append(by[r.Config], r)
	}
	slices.SortStableFunc(order, func(a, b string) int {
		return slices.Index(allConfigs, a) - slices.Index(allConfigs, b)
	})
	var out []summary
	for _, c := range order {
		rs := by[c]
		sps, ticks, idle := make([]float64, len(rs)), []float64{}, []float64{}
		for i, r := range rs {
			sps[i] = r.SamplesPerSec
			if r.TickFraction != nil && r.IdleTickFraction != nil {
				ticks = append(ticks, *r.TickFraction)
				idle = append(idle, *r.IdleTickFraction)
			}
		}
		s := summary{config: c, label: rs[0].Label, median: median(sps), min: slices.Min(sps), max: slices.Max(sps), ticks: -1,
			lossFirst: deref(rs[0].LossWarm), lossEnd: deref(rs[len(rs)-1].Loss)}
		if strings.HasPrefix(c, "tessera") && len(ticks) > 0 {
			s.ticks, s.idleTicks = median(ticks), median(idle)
		}
		s.notes = notes(rs)
		out = append(out, s)
	}
	return out
}

// notes collects the facts each configuration's page reported that a
// reader should check: replicas agreeing, SIMD and threads in TF.js, the
// im2col gradient's check.
func notes(rs []result) []string {
	var n []string
	info := rs[len(rs)-1].Info
	if v, ok := info["replicasAgree"].(bool); ok && info["workers"] != 1.0 {
		agree := v
		for _, r := range rs {
			agree = agree && r.Info["replicasAgree"] == true
		}
		n = append(n, fmt.Sprintf("replicas identical: %v", agree))
	}
	if ts, ok := info["times"].([]any); ok && len(ts) > 0 {
		// Worker 0's totals over warm-up and the timed span.
		t, _ := ts[0].(map[string]any)
		f := func(k string) float64 { v, _ := t[k].(float64); return v }
		gen, comp, exch, wait := f("generateMs"), f("computeMs"), f("exchangeMs"), f("waitMs")
		if all := gen + comp + exch; all > 0 {
			if _, ok := t["task"]; ok {
				n = append(n, fmt.Sprintf("sample generation %.0f%% of the step", 100*gen/all))
			}
			if exch > 0 {
				n = append(n, fmt.Sprintf("gradient exchange %.0f%% of the step (waiting %.0f%%)", 100*exch/all, 100*wait/all))
			}
		}
	}
	if v, ok := info["simd"]; ok && v != nil {
		n = append(n, fmt.Sprintf("SIMD %v, getThreadsCount() %v", v, info["threads"]))
	}
	if v, ok := info["filterGradCheck"].(float64); ok {
		n = append(n, fmt.Sprintf("grad check %.1e", v))
	}
	return n
}

// median returns the middle of xs, the lower of the two middle values for
// an even count: gonum's empirical 0.5-quantile (stat.Empirical). It panics
// on an empty slice.
func median(xs []float64) float64 {
	return stat.Quantile(0.5, stat.Empirical, slices.Sorted(slices.Values(xs)), nil)
}

// printTable writes the Markdown table: samples/s (median, min–max over
// rounds), ratios against TF.js wasm single-threaded (the better of its main
// thread and worker runs) and against TF.js's best wasm configuration, the
// main thread's delivered ticks, and the loss.
func printTable(w io.Writer, results []result) {
	ss := summarize(results)
	var tf1, tfBest float64
	for _, s := range ss {
		if s.config == "tfjs-wasm-1" || s.config == "tfjs-wasm-worker-1" {
			tf1 = max(tf1, s.median) // single-threaded: the better of main thread and worker
		}
		if strings.HasPrefix(s.config, "tfjs-wasm") {
			tfBest = max(tfBest, s.median)
		}
	}
	ratio := func(x, ref float64) string {
		if ref == 0 {
			return "—"
		}
		return fmt.Sprintf("%.2f×", x/ref)
	}
	fmt.Fprintln(w, "| configuration | samples/s median | min–max | vs TF.js wasm 1 thread | vs TF.js wasm best | main-thread 10 ms ticks | loss (warm → end) | notes |")
	fmt.Fprintln(w, "|---|---:|---:|---:|---:|---:|---|---|")
	for _, s := range ss {
		ticks := "—"
		if s.ticks >= 0 {
			ticks = fmt.Sprintf("%.0f%% (idle %.0f%%)", 100*s.ticks, 100*s.idleTicks)
		}
		r1, rBest := ratio(s.median, tf1), ratio(s.median, tfBest)
		if strings.Contains(s.config, "rotation") || strings.Contains(s.config, "jigsaw") {
			r1, rBest = "—", "—" // another workload: pretext batches
		}
		fmt.Fprintf(w, "| %s | %.0f | %.0f–%.0f | %s | %s | %s | %.3f → %.3f | %s |\n",
			s.label, s.median, s.min, s.max, r1, rBest, ticks,
			s.lossFirst, s.lossEnd, strings.Join(s.notes, "; "))
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "TF.js wasm has no Conv2DBackpropFilter kernel: its convolutions train through a tf.customGrad whose dx and dW are")
	fmt.Fprintln(w, "forward tf.conv2d calls (flipped kernel; input and dy transposed), faster than tf.conv2dTranspose or im2col + tf.matMul there.")
	fmt.Fprintln(w, "TF.js runs on the page's main thread and, in the rows that say so, in a Web Worker (faster here); ConvNetJS on the main")
	fmt.Fprintln(w, "thread; Tessera in Web Workers. Ratios: against the better single-threaded TF.js wasm row, and the best TF.js wasm row. Ticks: share of a 10 ms setInterval's ticks the")
	fmt.Fprintln(w, "main thread ran during the timed span (idle: the same before training started). Pretext rows make every batch in the")
	fmt.Fprintln(w, "worker (rotation: 8 images × 4 turns; jigsaw: 32 puzzles of 4 tiles of 12 px) and train on it: not the reference workload.")
	for _, r := range slices.Backward(results) {
		if prof, ok := r.Info["profileMs"].(map[string]any); ok && r.Config == "tfjs-wasm-worker-1" {
			var parts []string
			for _, k := range slices.Sorted(maps.Keys(prof)) {
				parts = append(parts, fmt.Sprintf("%s %v", k, prof[k]))
			}
			fmt.Fprintf(w, "TF.js wasm step parts in a worker, 1 thread, ms (last round): %s\n", strings.Join(parts, ", "))
			break
		}
	}
}
