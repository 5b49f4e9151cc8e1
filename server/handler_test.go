package server

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"
)

func TestServePaths(t *testing.T) {
	site := testSite(t)
	h := New(site, Options{})
	tests := []struct {
		target string
		status int
		file   string // the file whose bytes the body must be; "" for errors
		mime   string
		cache  string
	}{
		{"/", 200, "index.html", "text/html; charset=utf-8", CacheRevalidate},
		{"/index.html", 200, "index.html", "text/html; charset=utf-8", CacheRevalidate},
		{"/app.js", 200, "app.js", "text/javascript; charset=utf-8", CacheRevalidate},
		{"/wasm_exec.js", 200, "wasm_exec.js", "text/javascript; charset=utf-8", CacheRevalidate},
		{"/app-worker.js", 200, "app-worker.js", "text/javascript; charset=utf-8", CacheRevalidate},
		{"/app.css", 200, "app.css", "text/css; charset=utf-8", CacheRevalidate},
		{"/manifest.webmanifest", 200, "manifest.webmanifest", "application/manifest+json", CacheRevalidate},
		{"/web/app.wasm", 200, "web/app.wasm", "application/wasm", CacheRevalidate},
		{"/web/worker.js", 200, "web/worker.js", "text/javascript; charset=utf-8", CacheRevalidate},
		{"/web/style.0123abcd.css", 200, "web/style.0123abcd.css", "text/css; charset=utf-8", CacheImmutable},
		{"/web/icon.png", 200, "web/icon.png", "image/png", CacheRevalidate},
		{"/web/demo/data.bin", 200, "web/demo/data.bin", "application/octet-stream", CacheRevalidate},
		{"/web/docs/", 200, "web/docs/index.html", "text/html; charset=utf-8", CacheRevalidate},
		{"/web/docs", 200, "web/docs/index.html", "text/html; charset=utf-8", CacheRevalidate},
		// go-app's static pages and client-side routes.
		{"/about", 200, "about.html", "text/html; charset=utf-8", CacheRevalidate},
		{"/some-page", 200, "index.html", "text/html; charset=utf-8", CacheRevalidate},
		{"/some/deep/page/", 200, "index.html", "text/html; charset=utf-8", CacheRevalidate},
		{"/about/", 200, "index.html", "text/html; charset=utf-8", CacheRevalidate},
		// Not found: no listings, no fallback for files, no hidden files.
		{"/web", 404, "", "", ""},
		{"/web/", 404, "", "", ""},
		{"/web/demo/", 404, "", "", ""},
		{"/missing.js", 404, "", "", ""},
		{"/web/missing.wasm", 404, "", "", ""},
		{"/app.js/", 404, "", "", ""},
		{"/.git/config", 404, "", "", ""},
		{"/.git/", 404, "", "", ""},
		{"/web/.env", 404, "", "", ""},
		// Escapes and non-canonical paths.
		{"/../secret.txt", 400, "", "", ""},
		{"/%2e%2e/secret.txt", 400, "", "", ""},
		{"/web/%2E%2E/%2e%2e/secret.txt", 400, "", "", ""},
		{"/web/..%2f..%2fsecret.txt", 400, "", "", ""},
		{"/web/./app.wasm", 400, "", "", ""},
		{"//etc/passwd", 400, "", "", ""},
		{"/web//app.wasm", 400, "", "", ""},
		{"/web%5c..%5csecret.txt", 400, "", "", ""},
		{"/web/%00", 400, "", "", ""},
	}
	for _, tt := range tests {
		w := request(h, "GET", tt.target)
		res := w.Result()
		checkSecurityHeaders(t, tt.target, res.Header)
		if res.StatusCode != tt.status {
			t.Errorf("GET %s: status %d, want %d", tt.target, res.StatusCode, tt.status)
			continue
		}
		if tt.file == "" {
			if bytes.Contains(w.Body.Bytes(), []byte("secret")) {
				t.Errorf("GET %s: body leaks a file: %q", tt.target, w.Body.String())
			}
			continue
		}
		want := site[tt.file].Data
		if !bytes.Equal(w.Body.Bytes(), want) {
			t.Errorf("GET %s: body is not %s (%d bytes, want %d)", tt.target, tt.file, w.Body.Len(), len(want))
		}
		if got := res.Header.Get("Content-Type"); got != tt.mime {
			t.Errorf("GET %s: Content-Type %q, want %q", tt.target, got, tt.mime)
		}
		if got := res.Header.Get("Cache-Control"); got != tt.cache {
			t.Errorf("GET %s: Cache-Control %q, want %q", tt.target, got, tt.cache)
		}
		if got := res.Header.Get("Content-Length"); got != strconv.Itoa(len(want)) {
			t.Errorf("GET %s: Content-Length %q, want %d", tt.target, got, len(want))
		}
		if got := res.Header.Get(UncompressedLengthHeader); got != strconv.Itoa(len(want)) {
			t.Errorf("GET %s: %s %q, want %d", tt.target, UncompressedLengthHeader, got, len(want))
		}
	}
}

func TestNoFallback(t *testing.T) {
	h := New(testSite(t), Options{NoFallback: true, CSP: "default-src 'none'"})
	for target, status := range map[string]int{"/some-page": 404, "/about": 200, "/": 200} {
		w := request(h, "GET", target)
		if w.Code != status {
			t.Errorf("GET %s with NoFallback: status %d, want %d", target, w.Code, status)
		}
		if got := w.Header().Get("Content-Security-Policy"); got != "default-src 'none'" {
			t.Errorf("GET %s: CSP %q, want the one from Options", target, got)
		}
	}
}

func TestMethods(t *testing.T) {
	site := testSite(t)
	h := New(site, Options{})
	for _, method := range []string{"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"} {
		w := request(h, method, "/app.js")
		checkSecurityHeaders(t, method, w.Header())
		if w.Code != http.StatusMethodNotAllowed {
			t.Errorf("%s /app.js: status %d, want 405", method, w.Code)
		}
		if got := w.Header().Get("Allow"); got != "GET, HEAD" {
			t.Errorf("%s /app.js: Allow %q, want %q", method, got, "GET, HEAD")
		}
	}
	for _, ae := range []string{"", "gzip"} {
		get := request(h, "GET", "/web/app.wasm", "Accept-Encoding", ae)
		head := request(h, "HEAD", "/web/app.wasm", "Accept-Encoding", ae)
		if head.Code != 200 || head.Body.Len() != 0 {
			t.Errorf("HEAD (Accept-Encoding %q): status %d, %d body bytes; want 200 and none", ae, head.Code, head.Body.Len())
		}
		for _, k := range []string{"Content-Length", "Content-Encoding", "Content-Type", "ETag", "Cache-Control"} {
			if g, h := get.Header().Get(k), head.Header().Get(k); g != h {
				t.Errorf("HEAD (Accept-Encoding %q): %s %q, GET has %q", ae, k, h, g)
			}
		}
	}
}

func TestEncodingNegotiation(t *testing.T) {
	site := testSite(t)
	h := New(site, Options{})
	tests := []struct {
		target, acceptEncoding string
		coding                 string // expected Content-Encoding
		body                   []byte // exact bytes expected on the wire, nil: check by decoding
		vary                   bool
	}{
		{"/web/app.wasm", "gzip", "gzip", nil, true},
		{"/web/app.wasm", "gzip, deflate, br, zstd", "gzip", nil, true}, // no .br sibling
		{"/web/app.wasm", "*", "gzip", nil, true},
		{"/web/app.wasm", "", "", nil, true},
		{"/web/app.wasm", "identity", "", nil, true},
		{"/web/app.wasm", "gzip;q=0", "", nil, true},
		{"/web/app.wasm", "deflate, br", "", nil, true},
		{"/", "gzip", "gzip", nil, true},
		{"/some-page", "gzip", "gzip", nil, true},
		{"/app.js", "gzip", "gzip", nil, true},
		{"/manifest.webmanifest", "gzip", "gzip", nil, true},
		{"/web/demo/data.bin", "gzip", "gzip", nil, true},
		{"/web/style.0123abcd.css", "gzip", "gzip", nil, true},
		{"/web/icon.png", "gzip", "", nil, false}, // already compressed format
		{"/web/tiny.txt", "gzip", "", nil, true},  // gzip would be larger
		{"/web/pre.js", "gzip", "gzip", site["web/pre.js.gz"].Data, true},
		{"/web/br.js", "gzip, br", "br", site["web/br.js.br"].Data, true},
		{"/web/br.js", "gzip", "gzip", nil, true},
		{"/web/stale.js", "gzip", "gzip", nil, true}, // sibling older than file: ignored
	}
	for _, tt := range tests {
		what := describe("GET", tt.target, "Accept-Encoding", tt.acceptEncoding)
		w := request(h, "GET", tt.target, "Accept-Encoding", tt.acceptEncoding)
		res := w.Result()
		if res.StatusCode != 200 {
			t.Errorf("%s: status %d", what, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Encoding"); got != tt.coding {
			t.Errorf("%s: Content-Encoding %q, want %q", what, got, tt.coding)
		}
		if got := res.Header.Get("Content-Length"); got != strconv.Itoa(w.Body.Len()) {
			t.Errorf("%s: Content-Length %s, body has %d bytes", what, got, w.Body.Len())
		}
		if got := hasVary(res.Header, "Accept-Encoding"); got != tt.vary {
			t.Errorf("%s: Vary Accept-Encoding %v, want %v", what, got, tt.vary)
		}
		file := site[fileFor(tt.target)].Data
		if got := res.Header.Get(UncompressedLengthHeader); got != strconv.Itoa(len(file)) {
			t.Errorf("%s: %s %q, want %d", what, UncompressedLengthHeader, got, len(file))
		}
		switch {
		case tt.body != nil:
			if !bytes.Equal(w.Body.Bytes(), tt.body) {
				t.Errorf("%s: body is not the precompressed sibling", what)
			}
		case tt.coding == "gzip":
			if w.Body.Len() >= len(file) {
				t.Errorf("%s: gzip body %d bytes, not smaller than the file's %d", what, w.Body.Len(), len(file))
			}
			if !bytes.Equal(gunzip(t, w.Body.Bytes()), file) {
				t.Errorf("%s: decompressed body differs from the file", what)
			}
		default:
			if !bytes.Equal(w.Body.Bytes(), file) {
				t.Errorf("%s: identity body differs from the file", what)
			}
		}
	}
}

// fileFor maps the test targets above to the file they serve.
func fileFor(target string) string {
	switch target {
	case "/", "/some-page":
		return "index.html"
	}
	return target[1:]
}

func TestETag(t *testing.T) {
	site := testSite(t)
	h := New(site, Options{})
	plain := request(h, "GET", "/app.js").Header().Get("ETag")
	gz := request(h, "GET", "/app.js", "Accept-Encoding", "gzip").Header().Get("ETag")
	other := request(h, "GET", "/wasm_exec.js").Header().Get("ETag")
	if plain == "" || gz == "" || plain == gz || plain == other {
		t.Fatalf("ETags identity %q, gzip %q, other file %q: want distinct non-empty tags", plain, gz, other)
	}
	tests := []struct {
		ifNoneMatch, acceptEncoding string
		status                      int
		etag                        string
	}{
		{plain, "", 304, plain},
		{gz, "gzip", 304, gz},
		{plain, "gzip", 304, gz}, // same content, other encoding: still current
		{"W/" + plain, "", 304, plain},
		{`"nope", ` + plain, "", 304, plain},
		{"*", "", 304, plain},
		{other, "", 200, plain},
		{`"nope"`, "gzip", 200, gz},
	}
	for _, tt := range tests {
		what := describe("GET", "/app.js", "If-None-Match", tt.ifNoneMatch, "Accept-Encoding", tt.acceptEncoding)
		w := request(h, "GET", "/app.js", "If-None-Match", tt.ifNoneMatch, "Accept-Encoding", tt.acceptEncoding)
		checkSecurityHeaders(t, what, w.Header())
		if w.Code != tt.status {
			t.Errorf("%s: status %d, want %d", what, w.Code, tt.status)
		}
		if got := w.Header().Get("ETag"); got != tt.etag {
			t.Errorf("%s: ETag %q, want %q", what, got, tt.etag)
		}
		if tt.status == 304 && (w.Body.Len() != 0 || w.Header().Get("Cache-Control") != CacheRevalidate) {
			t.Errorf("%s: 304 with %d body bytes, Cache-Control %q", what, w.Body.Len(), w.Header().Get("Cache-Control"))
		}
	}

	// A rebuilt file gets a new ETag and a fresh gzip encoding.
	newJS := compressible(99, "// rebuilt\n", 16<<10)
	site["app.js"].Data = newJS
	site["app.js"].ModTime = site["app.js"].ModTime.Add(time.Second)
	w := request(h, "GET", "/app.js", "If-None-Match", gz, "Accept-Encoding", "gzip")
	if w.Code != 200 || w.Header().Get("ETag") == gz {
		t.Fatalf("after rebuild: status %d ETag %q, want 200 and a tag other than %q", w.Code, w.Header().Get("ETag"), gz)
	}
	if !bytes.Equal(gunzip(t, w.Body.Bytes()), newJS) {
		t.Errorf("after rebuild: served the old content")
	}
}

func TestRangeIdentity(t *testing.T) {
	site := testSite(t)
	h := New(site, Options{})
	w := request(h, "GET", "/web/demo/data.bin", "Range", "bytes=0-3")
	if w.Code != http.StatusPartialContent || w.Body.String() != string(site["web/demo/data.bin"].Data[:4]) {
		t.Errorf("Range bytes=0-3: status %d body %q, want 206 %q", w.Code, w.Body.String(), site["web/demo/data.bin"].Data[:4])
	}
}

func TestConcurrentFirstRequests(t *testing.T) {
	site := testSite(t)
	h := New(site, Options{})
	const n = 8
	bodies := make([][]byte, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			bodies[i] = request(h, "GET", "/web/app.wasm", "Accept-Encoding", "gzip").Body.Bytes()
		})
	}
	wg.Wait()
	for i := range n {
		if !bytes.Equal(gunzip(t, bodies[i]), site["web/app.wasm"].Data) {
			t.Fatalf("request %d: decompressed body differs from the file", i)
		}
	}
}

func TestGzipLevel(t *testing.T) {
	site := testSite(t)
	file := site["web/app.wasm"].Data
	sizes := map[int]int{}
	for _, level := range []int{1, 9} {
		h := New(site, Options{GzipLevel: level})
		w := request(h, "GET", "/web/app.wasm", "Accept-Encoding", "gzip")
		if !bytes.Equal(gunzip(t, w.Body.Bytes()), file) {
			t.Fatalf("GzipLevel %d: decompressed body differs from the file", level)
		}
		sizes[level] = w.Body.Len()
	}
	if sizes[9] >= sizes[1] {
		t.Errorf("gzip sizes: level 9 %d bytes, level 1 %d; want level 9 smaller", sizes[9], sizes[1])
	}
	for _, level := range []int{-1, 10} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("New with GzipLevel %d did not panic", level)
				}
			}()
			New(site, Options{GzipLevel: level})
		}()
	}
}
