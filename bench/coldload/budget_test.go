package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestBudget(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "web"), 0o755)
	for name, n := range map[string]int{
		"app.wasm": 9000, "app.wasm.gz": 2000, "app.wasm.br": 1500,
		"worker.wasm": 6000, "worker.wasm.gz": 1500, "worker.wasm.br": 1000,
	} {
		if err := os.WriteFile(filepath.Join(dir, "web", name), make([]byte, n), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sizes, err := wasmSizes(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got := sizes["worker.wasm"]["gzip"]; got != 1500 {
		t.Errorf("worker.wasm gzip size %d, want 1500", got)
	}
	for _, tc := range []struct {
		budget int64
		want   string
	}{
		{3000, "gzip OVER, br within"},   // gzip 3500, br 2500
		{3500, "gzip within, br within"}, // the budget is inclusive
		{2000, "gzip OVER, br OVER"},
	} {
		var b strings.Builder
		printBudget(&b, sizes, tc.budget)
		if !strings.Contains(b.String(), tc.want) {
			t.Errorf("budget %d: output lacks %q:\n%s", tc.budget, tc.want, b.String())
		}
	}
	os.Remove(filepath.Join(dir, "web", "worker.wasm.br"))
	if _, err := wasmSizes(dir); err == nil || !strings.Contains(err.Error(), "worker.wasm.br") {
		t.Errorf("missing worker.wasm.br: error %v, want one naming the file", err)
	}
}
