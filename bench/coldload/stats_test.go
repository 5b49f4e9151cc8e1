package main

import (
	"net/http"
	"testing"
)

func TestSummarize(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want spread
	}{
		{[]float64{3}, spread{3, 3, 3}},
		{[]float64{5, 1, 3}, spread{3, 1, 5}},
		{[]float64{4, 1, 2, 10}, spread{2, 1, 10}}, // the lower middle
	} {
		if got := summarize(tc.xs); got != tc.want {
			t.Errorf("summarize(%v) = %+v, want %+v", tc.xs, got, tc.want)
		}
	}
}

func TestFileBytes(t *testing.T) {
	log := []served{
		{Path: "/web/app.wasm", Status: 200, Bytes: 100, AcceptEncoding: "gzip, deflate", Encoding: "gzip"},
		{Path: "/", Status: 200, Bytes: 10, AcceptEncoding: "gzip, deflate"},
		{Path: "/web/app.wasm", Status: 200, Bytes: 100, AcceptEncoding: "gzip, deflate, br", Encoding: "br"},
		{Path: "/web/worker.wasm", Status: http.StatusNotModified, Bytes: 0, AcceptEncoding: "gzip, deflate"},
	}
	paths, bytes, fetches := fileBytes(log)
	if len(paths) != 3 || paths[0] != "/web/app.wasm" || paths[1] != "/" {
		t.Errorf("paths %v: want app.wasm, / first by bytes", paths)
	}
	if bytes["/web/app.wasm"] != 200 || fetches["/web/app.wasm"] != 2 {
		t.Errorf("app.wasm: %d bytes in %d fetches, want 200 in 2", bytes["/web/app.wasm"], fetches["/web/app.wasm"])
	}
	accept, wasm := encodings(log)
	if len(accept) != 2 || wasm["/web/app.wasm"] != "br" {
		t.Errorf("encodings: accept %q, wasm %v", accept, wasm)
	}
	if _, ok := wasm["/web/worker.wasm"]; ok {
		t.Error("a 304 counted as the encoding used")
	}
}
