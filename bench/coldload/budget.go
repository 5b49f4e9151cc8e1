package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// wasmFiles are the binaries the cold-load budget (issue 6) counts.
var wasmFiles = []string{"app.wasm", "worker.wasm"}

// wasmEncodings are the forms of each binary on disk: identity and the
// precompressed siblings the server sends.
var wasmEncodings = []struct{ name, suffix string }{{"raw", ""}, {"gzip", ".gz"}, {"br", ".br"}}

// wasmSizes returns the size of each binary of the site at dir in each
// encoding (file → encoding → bytes); a missing sibling is an error, since
// the budget needs both precompressed.
func wasmSizes(dir string) (map[string]map[string]int64, error) {
	sizes := map[string]map[string]int64{}
	for _, f := range wasmFiles {
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
	totals := map[string]int64{}
	for _, f := range wasmFiles {
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
