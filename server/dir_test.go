package server

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeSite writes files (name → content) under a new temporary directory
// and returns it.
func writeSite(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestNewDirErrors(t *testing.T) {
	empty := t.TempDir()
	noIndex := writeSite(t, map[string]string{"app.js": "x"})
	file := filepath.Join(writeSite(t, map[string]string{"f": "x"}), "f")
	tests := []struct {
		dir  string
		want []string // substrings of the error
	}{
		{filepath.Join(empty, "build", "web"), []string{"build", "does not exist", "run make build first"}},
		{empty, []string{empty, "no index.html", "run make build first"}},
		{noIndex, []string{noIndex, "no index.html"}},
		{file, []string{file, "not a directory"}},
	}
	for _, tt := range tests {
		h, err := NewDir(tt.dir, Options{})
		if err == nil {
			h.Close()
			t.Errorf("NewDir(%s): no error", tt.dir)
			continue
		}
		for _, s := range tt.want {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("NewDir(%s): error %q does not mention %q", tt.dir, err, s)
			}
		}
	}
}

func TestNewDirSymlinks(t *testing.T) {
	outside := writeSite(t, map[string]string{"secret.txt": "top secret", "sub/secret.js": "top secret"})
	dir := writeSite(t, map[string]string{"index.html": "<!DOCTYPE html>", "app.js": "console.log(1)"})
	links := map[string]string{
		"leak.txt":   filepath.Join(outside, "secret.txt"), // absolute, outside
		"leak2.txt":  "../" + filepath.Base(outside) + "/secret.txt",
		"leakdir":    filepath.Join(outside, "sub"),
		"alias.js":   "app.js", // inside the root: fine
		"web/up.txt": "../../" + filepath.Base(outside) + "/secret.txt",
	}
	os.MkdirAll(filepath.Join(dir, "web"), 0o755)
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Skipf("symlinks unsupported here: %v", err)
		}
	}
	h, err := NewDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	tests := []struct {
		target string
		status int
	}{
		{"/leak.txt", 404},
		{"/leak2.txt", 404},
		{"/leakdir/secret.js", 404},
		{"/web/up.txt", 404},
		{"/alias.js", 200},
		{"/app.js", 200},
	}
	for _, tt := range tests {
		for _, ae := range []string{"", "gzip"} {
			w := request(h, "GET", tt.target, "Accept-Encoding", ae)
			if w.Code != tt.status {
				t.Errorf("GET %s (Accept-Encoding %q): status %d, want %d", tt.target, ae, w.Code, tt.status)
			}
			if bytes.Contains(w.Body.Bytes(), []byte("top secret")) {
				t.Errorf("GET %s: served a file from outside the root", tt.target)
			}
		}
	}
	if n, err := h.Precompress(t.Context()); err != nil || n != 3 { // index.html, app.js, alias.js
		t.Errorf("Precompress = %d, %v; want 3 files (escaping links skipped), nil", n, err)
	}
}

func TestSiblingFreshnessOnDisk(t *testing.T) {
	js := string(compressible(21, "// app\n", 8<<10))
	dir := writeSite(t, map[string]string{"index.html": "<!DOCTYPE html>", "app.js": js})
	gz := gzipBytes(t, []byte(js), 1)
	gzPath := filepath.Join(dir, "app.js.gz")
	if err := os.WriteFile(gzPath, gz, 0o644); err != nil {
		t.Fatal(err)
	}
	h, err := NewDir(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer h.Close()
	w := request(h, "GET", "/app.js", "Accept-Encoding", "gzip")
	if !bytes.Equal(w.Body.Bytes(), gz) {
		t.Errorf("fresh app.js.gz was not served as is")
	}
	old := time.Now().Add(-time.Hour)
	if err := os.Chtimes(gzPath, old, old); err != nil {
		t.Fatal(err)
	}
	w = request(h, "GET", "/app.js", "Accept-Encoding", "gzip")
	if bytes.Equal(w.Body.Bytes(), gz) || !bytes.Equal(gunzip(t, w.Body.Bytes()), []byte(js)) {
		t.Errorf("stale app.js.gz: want a fresh in-memory encoding of app.js")
	}
}

func TestPrecompress(t *testing.T) {
	site := testSite(t)
	h := New(site, Options{})
	n, err := h.Precompress(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	// Every regular file except hidden ones and .gz/.br siblings.
	want := 0
	for name := range site {
		if !isHidden(name) && !strings.HasSuffix(name, ".gz") && !strings.HasSuffix(name, ".br") {
			want++
		}
	}
	if n != want {
		t.Errorf("Precompress visited %d files, want %d", n, want)
	}
	tests := []struct {
		name     string
		haveGzip bool
	}{
		{"web/app.wasm", true},
		{"index.html", true},
		{"web/pre.js", false},   // the build's .gz is used instead
		{"web/stale.js", true},  // the build's .gz is stale
		{"web/icon.png", false}, // not compressible
		{"web/tiny.txt", false}, // gzip is larger
	}
	for _, tt := range tests {
		a := h.assets.assets[tt.name]
		if a == nil {
			t.Errorf("%s: not precomputed", tt.name)
			continue
		}
		if got := a.gzip != nil; got != tt.haveGzip {
			t.Errorf("%s: in-memory gzip %v, want %v", tt.name, got, tt.haveGzip)
		}
	}
	if a := h.assets.assets[".git/config"]; a != nil {
		t.Errorf("hidden file was precomputed")
	}
}
