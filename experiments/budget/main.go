// Command budget computes what an experiment's semi-supervised recipe costs
// in the browser app (experiment.BrowserBudget) from a WebAssembly benchmark run
// of the same configuration, and records it in the experiment's
// results.json (and results.md):
//
//	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./experiments \
//	    -run '^$' -bench 'Pretrain/\[16_32_64\]/rotation|Finetune/\[16_32_64\]|Semi/\[16_32_64\]' -benchtime 30x -count 3 > bench.txt
//	go run ./experiments/budget -results experiments/cifar10/semi/results.json -bench bench.txt
//
// Rates are the medians over the benchmark's repetitions.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/tessera-ssl/tessera/train/experiment"
	"gonum.org/v1/gonum/stat"
)

func main() {
	resPath := flag.String("results", "", "the experiment's results.json (rewritten)")
	benchPath := flag.String("bench", "", "go test -bench output of ./experiments under wasm")
	trunk := flag.String("trunk", "16_32_64", "the trunk's benchmark name")
	task := flag.String("task", "rotation", "the pretext task")
	measured := flag.String("measured", "", "how and where the benchmark ran (recorded)")
	flag.Parse()
	if *resPath == "" || *benchPath == "" {
		log.Fatal("usage: budget -results results.json -bench bench.txt")
	}
	raw, err := os.ReadFile(*resPath)
	if err != nil {
		log.Fatal(err)
	}
	var res experiment.Result
	if err := json.Unmarshal(raw, &res); err != nil {
		log.Fatalf("%s: %v", *resPath, err)
	}
	rates, err := readBench(*benchPath)
	if err != nil {
		log.Fatal(err)
	}
	get := func(name, unit string) float64 {
		v, ok := rates[name+" "+unit]
		if !ok {
			log.Fatalf("%s: no %s figure for %s", *benchPath, unit, name)
		}
		return v
	}
	b := experiment.BrowserBudget{Measured: *measured, Method: *task + " + " + experiment.MethodSemi,
		PretrainSamples: res.Config.Pretrain.Samples,
		PretrainRate:    get(fmt.Sprintf("BenchmarkPretrain/[%s]/%s", *trunk, *task), "samples/s"),
		StepSeconds:     1 / get(fmt.Sprintf("BenchmarkSemi/[%s]/threshold=1", *trunk), "steps/s"),
		StepSecondsAll:  1 / get(fmt.Sprintf("BenchmarkSemi/[%s]/threshold=0", *trunk), "steps/s"),
	}
	for _, r := range res.Runs {
		if r.Task == *task && r.Method == experiment.MethodSemi {
			b.DownstreamSteps = max(b.DownstreamSteps, r.Steps)
			b.PseudoLabeled = max(b.PseudoLabeled, r.PseudoLabeled)
		}
	}
	if b.DownstreamSteps == 0 {
		log.Fatalf("%s: no %s semi run with steps", *resPath, *task)
	}
	step := b.StepSeconds + b.PseudoLabeled*(b.StepSecondsAll-b.StepSeconds)
	b.Minutes = (float64(b.PretrainSamples)/b.PretrainRate + float64(b.DownstreamSteps)*step) / 60
	res.Browser = &b
	f, err := os.Create(*resPath)
	if err != nil {
		log.Fatal(err)
	}
	if err := res.WriteJSON(f); err != nil {
		log.Fatal(err)
	}
	f.Close()
	md, err := os.Create(filepath.Join(filepath.Dir(*resPath), "results.md"))
	if err != nil {
		log.Fatal(err)
	}
	if err := res.WriteMarkdown(md); err != nil {
		log.Fatal(err)
	}
	md.Close()
	fmt.Printf("%s: %d pretraining samples at %.0f/s + %d steps at %.3f s (%.0f %% pseudo-labelled) = %.1f browser-minutes on one worker\n",
		b.Method, b.PretrainSamples, b.PretrainRate, b.DownstreamSteps, step, 100*b.PseudoLabeled, b.Minutes)
}

// readBench returns the median of every "name … value unit" figure (the
// lower of the two middle values for an even count: gonum's empirical
// 0.5-quantile, stat.Empirical).
func readBench(path string) (map[string]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	all := map[string][]float64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := fields[0]
		for i := 2; i+1 < len(fields); i += 2 {
			if v, err := strconv.ParseFloat(fields[i], 64); err == nil {
				all[name+" "+fields[i+1]] = append(all[name+" "+fields[i+1]], v)
			}
		}
	}
	out := map[string]float64{}
	for k, vs := range all {
		slices.Sort(vs)
		out[k] = stat.Quantile(0.5, stat.Empirical, vs, nil)
	}
	return out, sc.Err()
}
