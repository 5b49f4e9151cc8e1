package server

import (
	"net/http"
	"path"
	"regexp"
	"strings"
)

// DefaultCSP is the Content Security Policy sent with every response. Each
// source is there because go-app v10.1.11 or Go's WebAssembly runtime needs it
// (checked against pkg/app/http.go, gen/*.js and lib/wasm/wasm_exec.js):
//
//   - script-src 'self' 'wasm-unsafe-eval': the generated page loads only
//     external same-origin scripts (/wasm_exec.js, /app.js; no inline script,
//     no eval or new Function in go-app or wasm_exec.js, which calls into JS
//     through Reflect), so 'unsafe-inline' and 'unsafe-eval' are not needed.
//     Compiling WebAssembly is "eval" to CSP; 'wasm-unsafe-eval' allows only
//     that.
//   - worker-src 'self' blob:: go-app's service worker /app-worker.js and the
//     trainer's /web/worker.js; blob: lets a worker be started from a Blob URL.
//   - style-src 'self' 'unsafe-inline': go-app's Style(k, v) writes the style
//     attribute with setAttribute("style", …) and pre-rendered pages contain
//     style="…" attributes; CSP blocks both without 'unsafe-inline'.
//   - img-src 'self' data: blob:: canvases exported with toDataURL/toBlob
//     and images decoded from fetched bytes.
//   - connect-src 'self': fetch of the wasm binary and demo data, and the
//     service worker's cache fill.
//   - object-src 'none', base-uri 'self', form-action 'self',
//     frame-ancestors 'none': nothing is embedded, nothing embeds us.
//
// Remote resources are not allowed, and COEP require-corp would block most of
// them anyway: go-app's default icon lives on raw.githubusercontent.com, so
// the app must set Handler.Icon to a local file.
const DefaultCSP = "default-src 'self'; " +
	"script-src 'self' 'wasm-unsafe-eval'; " +
	"worker-src 'self' blob:; " +
	"style-src 'self' 'unsafe-inline'; " +
	"img-src 'self' data: blob:; " +
	"font-src 'self'; " +
	"connect-src 'self'; " +
	"manifest-src 'self'; " +
	"object-src 'none'; " +
	"base-uri 'self'; " +
	"form-action 'self'; " +
	"frame-ancestors 'none'"

// Cache-Control values.
const (
	// CacheImmutable is sent for content-hashed names: the bytes behind such a
	// name never change, so caches keep them for a year without revalidating.
	CacheImmutable = "public, max-age=31536000, immutable"
	// CacheRevalidate is sent for everything else (HTML, the service worker,
	// app.wasm, data): caches may store the response but must revalidate it
	// (cheap: If-None-Match → 304).
	CacheRevalidate = "no-cache"
)

// UncompressedLengthHeader carries the identity size of every file response,
// so a client reading a gzip- or brotli-encoded body (whose Content-Length is
// the encoded size) can still show progress in decoded bytes.
const UncompressedLengthHeader = "X-Uncompressed-Content-Length"

// setSecurityHeaders sets the headers every response carries, errors included.
func setSecurityHeaders(h http.Header, csp string) {
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Embedder-Policy", "require-corp")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", csp)
}

// hashedName matches a base name of the form "name.<hash>.ext" where <hash> is
// 8 to 64 lowercase hex digits, e.g. "app.3f9a1c2b.wasm" or
// "style.0123456789abcdef.css". A compression suffix (.gz, .br) is stripped
// before matching.
var hashedName = regexp.MustCompile(`^[^.]+(\.[^.]+)*\.[0-9a-f]{8,64}\.[A-Za-z0-9]+$`)

// IsHashedName reports whether the file at slash-separated path p is named
// after its content hash ("name.<8-64 lowercase hex>.ext") and so may be
// cached forever.
func IsHashedName(p string) bool {
	base := path.Base(p)
	for _, suffix := range []string{".gz", ".br"} {
		base = strings.TrimSuffix(base, suffix)
	}
	return hashedName.MatchString(base)
}

// cacheControl returns the Cache-Control value for the file at path p.
func cacheControl(p string) string {
	if IsHashedName(p) {
		return CacheImmutable
	}
	return CacheRevalidate
}

// fileType describes how files with one extension are served.
type fileType struct {
	mime         string
	compressible bool // worth gzip: text or dense-but-redundant binary
}

// fileTypes is fixed rather than read from the system MIME tables, so the
// server behaves the same on every machine.
var fileTypes = map[string]fileType{
	".html":        {"text/html; charset=utf-8", true},
	".js":          {"text/javascript; charset=utf-8", true},
	".mjs":         {"text/javascript; charset=utf-8", true},
	".css":         {"text/css; charset=utf-8", true},
	".wasm":        {"application/wasm", true},
	".json":        {"application/json", true},
	".map":         {"application/json", true},
	".webmanifest": {"application/manifest+json", true},
	".svg":         {"image/svg+xml", true},
	".txt":         {"text/plain; charset=utf-8", true},
	".md":          {"text/markdown; charset=utf-8", true},
	".csv":         {"text/csv; charset=utf-8", true},
	".xml":         {"application/xml", true},
	".bin":         {"application/octet-stream", true},
	".ico":         {"image/x-icon", true},
	".png":         {"image/png", false},
	".jpg":         {"image/jpeg", false},
	".jpeg":        {"image/jpeg", false},
	".gif":         {"image/gif", false},
	".webp":        {"image/webp", false},
	".avif":        {"image/avif", false},
	".woff":        {"font/woff", false},
	".woff2":       {"font/woff2", false},
	".gz":          {"application/gzip", false},
	".br":          {"application/octet-stream", false},
}

// typeOf returns how the file at path p is served; unknown extensions are
// opaque bytes (with nosniff, browsers will not guess otherwise).
func typeOf(p string) fileType {
	if t, ok := fileTypes[strings.ToLower(path.Ext(p))]; ok {
		return t
	}
	return fileType{mime: "application/octet-stream"}
}
