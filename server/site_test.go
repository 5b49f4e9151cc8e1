package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// compressible returns n bytes of text-like data (repeating words drawn
// from a small vocabulary), which gzip shrinks several-fold.
func compressible(seed uint64, prefix string, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 1))
	words := []string{"tensor ", "conv ", "relu ", "jigsaw ", "rotate ", "patch ", "grad ", "{ ", "} ", "\n"}
	var b bytes.Buffer
	b.WriteString(prefix)
	for b.Len() < n {
		b.WriteString(words[r.IntN(len(words))])
	}
	return b.Bytes()[:n]
}

// noise returns n uniformly random bytes, which gzip cannot shrink.
func noise(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// gzipBytes compresses b at the given level.
func gzipBytes(t *testing.T, b []byte, level int) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, level)
	if err != nil {
		t.Fatal(err)
	}
	zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// gunzip decompresses b or fails the test.
func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

// testSite is a miniature of what go-app's GenerateStaticWebsite plus our
// build writes, with a few files that exercise the edge cases.
func testSite(t *testing.T) fstest.MapFS {
	t.Helper()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	file := func(b []byte) *fstest.MapFile { return &fstest.MapFile{Data: b, ModTime: now} }
	wasm := append([]byte("\x00asm\x01\x00\x00\x00"), compressible(1, "", 64<<10)...)
	preJS := compressible(7, "// pre\n", 4<<10)
	brJS := compressible(8, "// br\n", 4<<10)
	staleJS := compressible(9, "// stale\n", 4<<10)
	return fstest.MapFS{
		"index.html":             file(compressible(2, "<!DOCTYPE html><html>", 8<<10)),
		"about.html":             file(compressible(3, "<!DOCTYPE html><title>about</title>", 8<<10)),
		"app.js":                 file(compressible(4, "// app.js\n", 16<<10)),
		"wasm_exec.js":           file(compressible(5, "// wasm_exec\n", 16<<10)),
		"app-worker.js":          file(compressible(6, "// service worker\n", 4<<10)),
		"app.css":                file(compressible(10, "/* go-app */\n", 2<<10)),
		"manifest.webmanifest":   file(compressible(11, `{"name":"Tessera",`, 1<<10)),
		"web/app.wasm":           file(wasm),
		"web/worker.js":          file(compressible(13, "// worker\n", 2<<10)),
		"web/style.0123abcd.css": file(compressible(14, "body{}", 4<<10)),
		"web/icon.png":           file(noise(15, 4<<10)),
		"web/tiny.txt":           file([]byte("a")),
		"web/demo/data.bin":      file(compressible(16, "TSR1", 32<<10)),
		"web/docs/index.html":    file(compressible(17, "<!DOCTYPE html><title>docs</title>", 1<<10)),
		"web/pre.js":             file(preJS),
		"web/pre.js.gz":          file(gzipBytes(t, preJS, gzip.BestSpeed)),
		"web/br.js":              file(brJS),
		"web/br.js.br":           file([]byte("pretend-brotli-bytes")),
		"web/stale.js":           file(staleJS),
		"web/stale.js.gz":        {Data: gzipBytes(t, []byte("old content"), 9), ModTime: now.Add(-time.Hour)},
		".git/config":            file([]byte("secret")),
		"web/.env":               file([]byte("secret")),
	}
}

// request sends one request to h and returns the recorded response.
func request(h http.Handler, method, target string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// checkSecurityHeaders fails the test unless every header every response
// must carry is present with its value.
func checkSecurityHeaders(t *testing.T, what string, h http.Header) {
	t.Helper()
	want := map[string]string{
		"Cross-Origin-Opener-Policy":   "same-origin",
		"Cross-Origin-Embedder-Policy": "require-corp",
		"Cross-Origin-Resource-Policy": "same-origin",
		"X-Content-Type-Options":       "nosniff",
		"Referrer-Policy":              "no-referrer",
		"Content-Security-Policy":      DefaultCSP,
	}
	for k, v := range want {
		if got := h.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

// hasVary reports whether the Vary header lists token.
func hasVary(h http.Header, token string) bool {
	for _, v := range h.Values("Vary") {
		for _, t := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

func describe(method, target string, header ...string) string {
	return fmt.Sprintf("%s %s %v", method, target, header)
}
