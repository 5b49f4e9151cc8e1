package server

import (
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

// Options adjusts a Handler. The zero value is the policy described in the
// package documentation.
type Options struct {
	// CSP replaces DefaultCSP when not empty.
	CSP string
	// NoFallback turns off serving /index.html for unknown extensionless
	// paths (go-app's client-side routes); they get 404 instead.
	NoFallback bool
	// GzipLevel is the level of the gzip encodings made in memory, from
	// gzip.BestSpeed (1) to gzip.BestCompression (9); 0 means
	// DefaultGzipLevel. A build that wants smaller files writes .gz siblings.
	GzipLevel int
}

// DefaultGzipLevel is gzip's default level, 6. On an 8.2 MB Go wasm binary
// (2 shared cores) it takes 0.35 s for 28.2% of the size, where level 9 takes
// 4.1 s for 27.2%: a first visitor would wait seconds to save 3%.
const DefaultGzipLevel = 6

// Handler serves a built static site; see the package documentation for its
// policies. It is safe for concurrent use.
type Handler struct {
	site     fs.FS
	csp      string
	fallback bool
	assets   assetCache
	closer   io.Closer // the os.Root behind site, if NewDir opened one
}

// New returns a Handler serving the files of site, whose root holds
// index.html. Reads stay inside site as far as site enforces it: os.DirFS
// follows symlinks out of its directory, so for a directory prefer NewDir.
// It panics if opts.GzipLevel is outside 0 to 9.
func New(site fs.FS, opts Options) *Handler {
	h := &Handler{site: site, csp: DefaultCSP, fallback: !opts.NoFallback}
	if opts.CSP != "" {
		h.csp = opts.CSP
	}
	switch level := opts.GzipLevel; {
	case level == 0:
		h.assets.level = DefaultGzipLevel
	case level >= gzip.BestSpeed && level <= gzip.BestCompression:
		h.assets.level = level
	default:
		panic(fmt.Sprintf("server.New: GzipLevel %d outside 0 to 9", level))
	}
	return h
}

// NewDir returns a Handler serving directory dir, confined to it with
// os.Root (symlinks that lead outside dir are not followed). It fails with a
// message naming dir if dir does not exist, is not a directory or has no
// index.html, all of which mean the site has not been built.
func NewDir(dir string, opts Options) (*Handler, error) {
	info, err := os.Stat(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("serve %s: directory does not exist (run make build first)", dir)
		}
		return nil, fmt.Errorf("serve %s: %w", dir, err)
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("serve %s: not a directory", dir)
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("serve %s: %w", dir, err)
	}
	if info, err := root.Stat("index.html"); err != nil || !info.Mode().IsRegular() {
		root.Close()
		return nil, fmt.Errorf("serve %s: no index.html in the directory (run make build first)", dir)
	}
	h := New(root.FS(), opts)
	h.closer = root
	return h, nil
}

// Close releases the directory opened by NewDir; it does nothing for a Handler
// made by New.
func (h *Handler) Close() error {
	if h.closer == nil {
		return nil
	}
	return h.closer.Close()
}

// ServeHTTP serves the file named by r.URL.Path.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	setSecurityHeaders(hdr, h.csp)
	hdr.Set("Cache-Control", CacheRevalidate)
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		hdr.Set("Allow", "GET, HEAD")
		http.Error(w, "405 method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, dirRequest, ok := cleanPath(r.URL.Path)
	if !ok {
		http.Error(w, "400 bad request: invalid path", http.StatusBadRequest)
		return
	}
	if isHidden(name) {
		http.NotFound(w, r)
		return
	}
	f, name, info, err := h.resolve(name, dirRequest)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	h.serveFile(w, r, f, name, info)
}

// cleanPath turns a URL path into an fs.FS name ("." for "/") and reports
// whether it ended in "/". It rejects (ok false) anything but a canonical
// absolute path: "." or ".." segments (also when percent-encoded, since
// r.URL.Path is decoded), empty segments, backslashes and NUL bytes.
func cleanPath(p string) (name string, dirRequest, ok bool) {
	if !strings.HasPrefix(p, "/") || strings.ContainsAny(p, "\\\x00") {
		return "", false, false
	}
	name = p[1:]
	if name == "" {
		return ".", true, true
	}
	if strings.HasSuffix(name, "/") {
		name, dirRequest = name[:len(name)-1], true
	}
	if !fs.ValidPath(name) || name == "." {
		return "", false, false
	}
	return name, dirRequest, true
}

// isHidden reports whether a segment of name starts with a dot (".git",
// ".env"): such files are never part of the built site.
func isHidden(name string) bool {
	if name == "." {
		return false
	}
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") {
			return true
		}
	}
	return false
}

// resolve finds the regular file to serve for name, in order: the file
// itself; for a directory, its index.html (else not found: no listings, no
// fallback); for an extensionless name, name+".html" (go-app's static
// pages) and then, unless disabled, the app shell index.html.
func (h *Handler) resolve(name string, dirRequest bool) (fs.File, string, fs.FileInfo, error) {
	f, info, err := h.open(name)
	switch {
	case err == nil && info.IsDir():
		f.Close()
		index := path.Join(name, "index.html")
		f, info, err := h.openRegular(index)
		return f, index, info, err
	case err == nil && info.Mode().IsRegular() && !dirRequest:
		return f, name, info, nil
	case err == nil: // a file asked for as a directory, or not a regular file
		f.Close()
		return nil, "", nil, fs.ErrNotExist
	case !errors.Is(err, fs.ErrNotExist): // e.g. a symlink escaping the root
		return nil, "", nil, err
	case path.Ext(name) != "":
		return nil, "", nil, err
	}
	if !dirRequest {
		if f, info, err := h.openRegular(name + ".html"); err == nil {
			return f, name + ".html", info, nil
		}
	}
	if !h.fallback {
		return nil, "", nil, fs.ErrNotExist
	}
	f, info, err = h.openRegular("index.html")
	return f, "index.html", info, err
}

// open opens name and stats it.
func (h *Handler) open(name string) (fs.File, fs.FileInfo, error) {
	f, err := h.site.Open(name)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, info, nil
}

// openRegular opens name if it is a regular file, else fails with
// fs.ErrNotExist.
func (h *Handler) openRegular(name string) (fs.File, fs.FileInfo, error) {
	f, info, err := h.open(name)
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, fs.ErrNotExist
	}
	return f, info, nil
}

// serveFile writes file f (named name, stat info) in the best encoding the
// client accepts, or 304 if the client's copy is current.
func (h *Handler) serveFile(w http.ResponseWriter, r *http.Request, f fs.File, name string, info fs.FileInfo) {
	kind := typeOf(name)
	hdr := w.Header()
	hdr.Set("Cache-Control", cacheControl(name))
	if kind.compressible {
		hdr.Add("Vary", "Accept-Encoding")
	}

	// A build-produced sibling is used only if it is not older than the file.
	var gzFile, brFile fs.File
	var gzInfo, brInfo fs.FileInfo
	if kind.compressible {
		gzFile, gzInfo = h.sibling(name+".gz", info.ModTime())
		brFile, brInfo = h.sibling(name+".br", info.ModTime())
		defer closeIfOpen(gzFile)
		defer closeIfOpen(brFile)
	}
	a, err := h.assets.get(r.Context(), h.site, name, info, kind.compressible && gzFile == nil)
	if err != nil {
		http.Error(w, "500 internal server error: reading "+name, http.StatusInternalServerError)
		return
	}
	coding := chooseCoding(r.Header.Get("Accept-Encoding"), brFile != nil, gzFile != nil || a.gzip != nil)
	hdr.Set("ETag", a.etagFor(coding))
	if notModified(r.Header.Get("If-None-Match"), a) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	hdr.Set("Content-Type", kind.mime)
	hdr.Set(UncompressedLengthHeader, strconv.FormatInt(info.Size(), 10))

	switch {
	case coding == codingBrotli:
		writeBody(w, r, coding, brInfo.Size(), brFile)
	case coding == codingGzip && gzFile != nil:
		writeBody(w, r, coding, gzInfo.Size(), gzFile)
	case coding == codingGzip:
		writeBody(w, r, coding, int64(len(a.gzip)), bytes.NewReader(a.gzip))
	default:
		if rs, ok := f.(io.ReadSeeker); ok {
			// ServeContent adds Range support; the zero time keeps validation
			// on ETags alone, the same for every encoding.
			http.ServeContent(w, r, name, time.Time{}, rs)
			return
		}
		writeBody(w, r, "", info.Size(), f)
	}
}

// sibling opens the precompressed variant name if it is a regular file
// modified no earlier than the original (modified at orig); else nil.
func (h *Handler) sibling(name string, orig time.Time) (fs.File, fs.FileInfo) {
	f, info, err := h.openRegular(name)
	if err != nil {
		return nil, nil
	}
	if info.ModTime().Before(orig) {
		f.Close()
		return nil, nil
	}
	return f, info
}

func closeIfOpen(f fs.File) {
	if f != nil {
		f.Close()
	}
}

// writeBody sends a 200 response of exactly size bytes from body with the
// given content coding ("" for identity); HEAD gets the headers only. Range
// requests are answered in full, which HTTP allows.
func writeBody(w http.ResponseWriter, r *http.Request, coding string, size int64, body io.Reader) {
	hdr := w.Header()
	if coding != "" {
		hdr.Set("Content-Encoding", coding)
	}
	hdr.Set("Content-Length", strconv.FormatInt(size, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	io.CopyN(w, body, size) // an error here means the client went away
}

// notModified reports whether the If-None-Match header value names the
// asset in any encoding (they share one content) or is "*". Comparison is
// weak, as RFC 9110 §13.1.2 prescribes for If-None-Match.
func notModified(ifNoneMatch string, a *asset) bool {
	if ifNoneMatch == "" {
		return false
	}
	for _, tag := range strings.Split(ifNoneMatch, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" {
			return true
		}
		for _, coding := range []string{"", codingGzip, codingBrotli} {
			if tag == a.etagFor(coding) {
				return true
			}
		}
	}
	return false
}
