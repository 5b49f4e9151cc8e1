package main

import (
	"os"
	"path/filepath"
	"testing"
)

func TestReadBenchTakesMedians(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bench.txt")
	text := `goos: js
BenchmarkSemi/[16_32_64]/threshold=1   30   143319962 ns/op   6.977 steps/s
BenchmarkSemi/[16_32_64]/threshold=1   30   136026931 ns/op   7.351 steps/s
BenchmarkSemi/[16_32_64]/threshold=1   30   131899913 ns/op   7.582 steps/s
BenchmarkPretrain/[16_32_64]/rotation  30   54739132 ns/op    1169 samples/s
PASS
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := readBench(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]float64{
		"BenchmarkSemi/[16_32_64]/threshold=1 steps/s":    7.351,
		"BenchmarkSemi/[16_32_64]/threshold=1 ns/op":      136026931,
		"BenchmarkPretrain/[16_32_64]/rotation samples/s": 1169,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
}
