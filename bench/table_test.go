//go:build !js

package main

import (
	"strings"
	"testing"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{[]float64{3}, 3},
		{[]float64{5, 1, 3}, 3},
		{[]float64{4, 1, 3, 2}, 2}, // the lower middle
	}
	for _, tt := range tests {
		if got := median(tt.in); got != tt.want {
			t.Errorf("median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func ptr(v float64) *float64 { return &v }

func TestPrintTable(t *testing.T) {
	rs := []result{
		{Config: "tfjs-wasm-1", Label: "TF1", SamplesPerSec: 100, Info: map[string]any{}},
		{Config: "tessera-n-sab", Label: "TN", SamplesPerSec: 450, TickFraction: ptr(0.9), IdleTickFraction: ptr(1),
			Info: map[string]any{"workers": 2.0, "replicasAgree": true}},
		{Config: "tessera-n-sab", Label: "TN", SamplesPerSec: 350, TickFraction: ptr(0.7), IdleTickFraction: ptr(1),
			Info: map[string]any{"workers": 2.0, "replicasAgree": false}},
		{Config: "tessera-n-sab", Label: "TN", SamplesPerSec: 400, TickFraction: ptr(0.8), IdleTickFraction: ptr(1),
			Info: map[string]any{"workers": 2.0, "replicasAgree": true}},
		{Config: "tfjs-wasm-n", Label: "TF2", SamplesPerSec: 125, Info: map[string]any{}},
		{Config: "tfjs-wasm-worker-1", Label: "TFW", SamplesPerSec: 80, Info: map[string]any{}},
		{Config: "tessera-1", Label: "T1", SamplesPerSec: 200, Info: map[string]any{"workers": 1.0, "replicasAgree": true}},
		{Config: "tessera-jigsaw-1", Label: "TJ", SamplesPerSec: 50, Info: map[string]any{}},
	}
	var b strings.Builder
	printTable(&b, rs)
	lines := strings.Split(b.String(), "\n")
	want := []string{ // rows in allConfigs order; ratios against 100 and against the best TF.js wasm, 125
		"| T1 | 200 | 200–200 | 2.00× | 1.60× | — |",
		"| TN | 400 | 350–450 | 4.00× | 3.20× | 80% (idle 100%) |",
		"| TF1 | 100 | 100–100 | 1.00× | 0.80× |",
		"| TF2 | 125 | 125–125 | 1.25× | 1.00× |",
		"| TFW | 80 | 80–80 | 0.80× | 0.64× |",
		"| TJ | 50 | 50–50 | — | — |",
	}
	for i, w := range want {
		if got := lines[2+i]; !strings.HasPrefix(got, w) {
			t.Errorf("row %d = %q, want prefix %q", i, got, w)
		}
	}
	if !strings.Contains(lines[3], "replicas identical: false") {
		t.Errorf("a round whose replicas differed must show: %q", lines[3])
	}
	if strings.Contains(lines[2], "replicas identical") {
		t.Errorf("one worker has no replicas to compare: %q", lines[2])
	}
}
