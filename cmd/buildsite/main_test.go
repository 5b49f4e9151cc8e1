package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// site builds a site from a stand-in binary and assets into a temp dir.
func site(t *testing.T, wasm string) (out string, version string) {
	t.Helper()
	dir := t.TempDir()
	assets := filepath.Join(dir, "web")
	for name, body := range map[string]string{
		"tessera.css": "body{}", "worker.js": "importScripts('/wasm_exec.js')", "icon.svg": "<svg/>",
		"demo/manifest.json": "{}", ".hidden": "secret",
	} {
		p := filepath.Join(assets, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	appWasm := filepath.Join(dir, "app.wasm")
	if err := os.WriteFile(appWasm, []byte(wasm), 0o644); err != nil {
		t.Fatal(err)
	}
	out = filepath.Join(dir, "out")
	if err := build(out, appWasm, assets); err != nil {
		t.Fatal(err)
	}
	sw, err := os.ReadFile(filepath.Join(out, "app-worker.js"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`const cacheName = "app-" \+ "([0-9a-f]+)"`).FindSubmatch(sw)
	if m == nil {
		t.Fatalf("no version in app-worker.js:\n%s", sw[:200])
	}
	return out, string(m[1])
}

func TestBuild(t *testing.T) {
	out, v1 := site(t, "\x00asm one")
	for _, f := range []string{"index.html", "app.js", "app.css", "manifest.webmanifest", "wasm_exec.js",
		"web/app.wasm", "web/app.wasm.gz", "web/app.wasm.br", "web/worker.js", "web/tessera.css",
		"web/demo/manifest.json", "web/icon-192.png", "web/icon-512.png"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("missing %s: %v", f, err)
		}
	}
	// One binary serves both roles: no second one is written or cached.
	if _, err := os.Stat(filepath.Join(out, "web/worker.wasm")); err == nil {
		t.Error("a web/worker.wasm was written")
	}
	sw, _ := os.ReadFile(filepath.Join(out, "app-worker.js"))
	for _, want := range []string{`"/web/app.wasm"`, `"/web/worker.js"`} {
		if !strings.Contains(string(sw), want) {
			t.Errorf("the service worker does not precache %s", want)
		}
	}
	if strings.Contains(string(sw), "worker.wasm") {
		t.Error("the service worker precaches a worker.wasm")
	}
	if _, err := os.Stat(filepath.Join(out, "web/.hidden")); err == nil {
		t.Error("a dot-file was copied")
	}
	// The wasm_exec.js is the one of the Go that builds the binaries.
	got, _ := os.ReadFile(filepath.Join(out, "wasm_exec.js"))
	want, _ := os.ReadFile(filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js"))
	if !bytes.Equal(got, want) {
		t.Error("wasm_exec.js is not GOROOT's")
	}
	// The .gz and .br siblings decode to the file.
	for _, c := range []struct {
		ext       string
		newReader func(io.Reader) (io.Reader, error)
	}{
		{".gz", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
		{".br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
	} {
		for name, want := range map[string]string{"web/app.wasm": "\x00asm one"} {
			z, err := os.ReadFile(filepath.Join(out, name+c.ext))
			if err != nil {
				t.Errorf("missing %s%s: %v", name, c.ext, err)
				continue
			}
			zr, err := c.newReader(bytes.NewReader(z))
			if err != nil {
				t.Errorf("%s%s: %v", name, c.ext, err)
				continue
			}
			if b, err := io.ReadAll(zr); err != nil || string(b) != want {
				t.Errorf("%s%s holds %q (%v), want %q", name, c.ext, b, err, want)
			}
		}
	}
	// The page is self-contained: no inline script, no remote resource.
	html, _ := os.ReadFile(filepath.Join(out, "index.html"))
	if regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]`).Match(html) || strings.Contains(string(html), "https://raw.githubusercontent") {
		t.Error("index.html has an inline script or a remote resource")
	}
	// app.wasm is preloaded in a way app.js's fetch() can take over.
	if !regexp.MustCompile(`<link rel="preload" href="/web/app.wasm" as="fetch" crossorigin="anonymous"`).Match(html) {
		t.Error("index.html does not preload /web/app.wasm for fetch()")
	}
	// A different binary is a different version: the service worker updates.
	_, v2 := site(t, "\x00asm two")
	_, v3 := site(t, "\x00asm one")
	if v1 == v2 || v1 != v3 {
		t.Errorf("versions %s, %s, %s: want a change with the binary and none without", v1, v2, v3)
	}
}
