package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// wasmEncodings are the forms of each binary on disk: identity and the
// precompressed siblings the server sends.
var wasmEncodings = []struct{ name, suffix string }{{"raw", ""}, {"gzip", ".gz"}, {"br", ".br"}}

// wasmFiles returns the names of the wasm binaries the cold-load budget
// (issue 6) counts: every web/*.wasm of the site at dir, sorted. Today that
// is app.wasm alone (the UI and the trainer share it); sites built before
// that also have worker.wasm, and an A/B run may compare the two layouts.
func wasmFiles(dir string) ([]string, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "web", "*.wasm"))
	if err != nil {
		return nil, err
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("budget: no wasm binary in %s", filepath.Join(dir, "web"))
	}
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = filepath.Base(p)
	}
	slices.Sort(names)
	return names, nil
}

// wasmSizes returns the size of each binary of the site at dir in each
// encoding (file → encoding → bytes); a missing sibling is an error, since
// the budget needs both precompressed.
func wasmSizes(dir string) (map[string]map[string]int64, error) {
	files, err := wasmFiles(dir)
	if err != nil {
		return nil, err
	}
	sizes := map[string]map[string]int64{}
	for _, f := range files {
		sizes[f] = map[string]int64{}
		for _, e := range wasmEncodings {
			info, err := os.Stat(filepath.Join(dir, "web", f+e.suffix))
			if err != nil {
				return nil, fmt.Errorf("budget: %w", err)
			}
			sizes[f][e.name] = info.Size()
		}
	}
	return sizes, nil
}

// printBudget writes a table of the binaries' sizes and, for each
// compressed encoding, whether the total is within budget bytes.
func printBudget(w io.Writer, sizes map[string]map[string]int64, budget int64) {
	fmt.Fprintf(w, "\nwasm binaries on disk (MB):     %9s %9s %9s\n", "raw", "gzip", "br")
	files := make([]string, 0, len(sizes))
	for f := range sizes {
		files = append(files, f)
	}
	slices.Sort(files)
	totals := map[string]int64{}
	for _, f := range files {
		fmt.Fprintf(w, "  %-29s", f)
		for _, e := range wasmEncodings {
			fmt.Fprintf(w, " %9.3f", float64(sizes[f][e.name])/1e6)
			totals[e.name] += sizes[f][e.name]
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  %-29s", "total")
	var verdicts []string
	for _, e := range wasmEncodings {
		fmt.Fprintf(w, " %9.3f", float64(totals[e.name])/1e6)
		if e.suffix == "" {
			continue
		}
		v := "within"
		if totals[e.name] > budget {
			v = "OVER"
		}
		verdicts = append(verdicts, fmt.Sprintf("%s %s", e.name, v))
	}
	fmt.Fprintf(w, "\n  budget %.3f MB per encoding: %s\n", float64(budget)/1e6, strings.Join(verdicts, ", "))
}
