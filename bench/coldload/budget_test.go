package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeSite writes zero-filled files of the given sizes under dir/web.
func writeSite(t *testing.T, dir string, files map[string]int) {
	t.Helper()
	os.MkdirAll(filepath.Join(dir, "web"), 0o755)
	for name, n := range files {
		if err := os.WriteFile(filepath.Join(dir, "web", name), make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestBudget(t *testing.T) {
	for _, tc := range []struct {
		name   string
		files  map[string]int
		budget int64
		want   []string // in the output
		absent string   // not in the output
	}{
		{"one binary within", map[string]int{"app.wasm": 9000, "app.wasm.gz": 2500, "app.wasm.br": 1900, "worker.js": 50},
			3000, []string{"app.wasm", "gzip within, br within"}, "worker.wasm"},
		{"one binary, gzip over", map[string]int{"app.wasm": 9000, "app.wasm.gz": 2500, "app.wasm.br": 1900},
			2000, []string{"gzip OVER, br within"}, "worker.wasm"},
		// An older site, two binaries: gzip 3500, br 2500 in all.
		{"two binaries over", map[string]int{"app.wasm": 9000, "app.wasm.gz": 2000, "app.wasm.br": 1500,
			"worker.wasm": 6000, "worker.wasm.gz": 1500, "worker.wasm.br": 1000},
			3000, []string{"worker.wasm", "gzip OVER, br within"}, ""},
		{"two binaries, inclusive", map[string]int{"app.wasm": 9000, "app.wasm.gz": 2000, "app.wasm.br": 1500,
			"worker.wasm": 6000, "worker.wasm.gz": 1500, "worker.wasm.br": 1000},
			3500, []string{"gzip within, br within"}, ""},
	} {
		dir := t.TempDir()
		writeSite(t, dir, tc.files)
		sizes, err := wasmSizes(dir)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if got := sizes["app.wasm"]["gzip"]; got != int64(tc.files["app.wasm.gz"]) {
			t.Errorf("%s: app.wasm gzip size %d, want %d", tc.name, got, tc.files["app.wasm.gz"])
		}
		var b strings.Builder
		printBudget(&b, sizes, tc.budget)
		for _, want := range tc.want {
			if !strings.Contains(b.String(), want) {
				t.Errorf("%s: output lacks %q:\n%s", tc.name, want, b.String())
			}
		}
		if tc.absent != "" && strings.Contains(b.String(), tc.absent) {
			t.Errorf("%s: output names %q:\n%s", tc.name, tc.absent, b.String())
		}
	}
}

func TestBudgetMissing(t *testing.T) {
	dir := t.TempDir()
	writeSite(t, dir, map[string]int{"app.wasm": 9000, "app.wasm.gz": 2500})
	if _, err := wasmSizes(dir); err == nil || !strings.Contains(err.Error(), "app.wasm.br") {
		t.Errorf("missing app.wasm.br: error %v, want one naming the file", err)
	}
	if _, err := wasmSizes(t.TempDir()); err == nil || !strings.Contains(err.Error(), "no wasm binary") {
		t.Errorf("no binary: error %v, want one saying so", err)
	}
}
