// Command merge joins the results.json files of experiment runs that split
// the pretext tasks between processes (each also trains the scratch
// baseline, on the same labels and batches: the copies must agree, and one
// is kept), recomputes the mean ± standard deviation over seeds, and writes
// results.json and results.md into -out.
//
//	go run ./experiments/merge -out experiments/cifar10 run-a/results.json run-b/results.json
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"

	"github.com/tessera-ssl/tessera/train/experiment"
)

func main() {
	out := flag.String("out", "", "output `directory`")
	flag.Parse()
	if *out == "" || flag.NArg() == 0 {
		log.Fatal("usage: merge -out DIR results.json...")
	}
	var res *experiment.Result
	seen := map[string]experiment.RunResult{}
	for _, name := range flag.Args() {
		raw, err := os.ReadFile(name)
		if err != nil {
			log.Fatal(err)
		}
		var r experiment.Result
		if err := json.Unmarshal(raw, &r); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
		if res == nil {
			first := r // runs and tasks are collected below, from every file
			first.Runs, first.Config.Tasks = nil, nil
			res = &first
		} else {
			res.Complete = res.Complete && r.Complete
		}
		for _, t := range r.Config.Tasks {
			if !slices.Contains(res.Config.Tasks, t) {
				res.Config.Tasks = append(res.Config.Tasks, t)
			}
		}
		for _, run := range r.Runs {
			key := fmt.Sprintf("%d/%s/%s", run.Seed, run.Task, run.Method)
			if prev, ok := seen[key]; ok {
				if prev.Eval.Accuracy != run.Eval.Accuracy {
					log.Printf("note: %s differs between runs (%.4f vs %.4f); keeping the first", key, prev.Eval.Accuracy, run.Eval.Accuracy)
				}
				continue
			}
			seen[key] = run
			res.Runs = append(res.Runs, run)
		}
	}
	res.Config.Seeds = 0
	for _, run := range res.Runs {
		res.Config.Seeds = max(res.Config.Seeds, int(run.Seed))
	}
	res.Summary = experiment.Summarize(res.Runs)
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatal(err)
	}
	write(filepath.Join(*out, "results.json"), res.WriteJSON)
	write(filepath.Join(*out, "results.md"), res.WriteMarkdown)
	res.WriteMarkdown(os.Stdout)
}

func write(path string, f func(io.Writer) error) {
	w, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	if err := f(w); err != nil {
		log.Fatal(err)
	}
	if err := w.Close(); err != nil {
		log.Fatal(err)
	}
}
