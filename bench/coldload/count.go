package main

import (
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// served is one response as the server wrote it: the body bytes on the
// wire (after content encoding), and the encodings asked for and used.
type served struct {
	Path           string
	Status         int
	Bytes          int64         // body bytes written (encoded)
	AcceptEncoding string        // the request's Accept-Encoding
	Encoding       string        // the response's Content-Encoding ("" for identity)
	Start, End     time.Duration // since the last take
}

// counter wraps a handler and records every response it writes, so the
// bytes fetched by the service worker (which DevTools reports on another
// target) are counted too.
type counter struct {
	next  http.Handler
	mu    sync.Mutex
	log   []served
	since time.Time // when take was last called
}

func (c *counter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	cw := &countingWriter{ResponseWriter: w, status: http.StatusOK}
	c.next.ServeHTTP(cw, r)
	end := time.Now()
	c.mu.Lock()
	c.log = append(c.log, served{
		Path: r.URL.Path, Status: cw.status, Bytes: cw.n,
		AcceptEncoding: r.Header.Get("Accept-Encoding"),
		Encoding:       w.Header().Get("Content-Encoding"),
		Start:          start.Sub(c.since), End: end.Sub(c.since),
	})
	c.mu.Unlock()
}

// take returns the responses recorded since the last call and forgets them.
func (c *counter) take() []served {
	c.mu.Lock()
	defer c.mu.Unlock()
	l := c.log
	c.log, c.since = nil, time.Now()
	return l
}

type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (w *countingWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *countingWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.n += int64(n)
	return n, err
}

// fileBytes sums body bytes per path (a path fetched twice counts twice)
// and returns the paths in decreasing order of bytes.
func fileBytes(log []served) (paths []string, bytes map[string]int64, fetches map[string]int) {
	bytes, fetches = map[string]int64{}, map[string]int{}
	for _, s := range log {
		bytes[s.Path] += s.Bytes
		fetches[s.Path]++
	}
	for p := range bytes {
		paths = append(paths, p)
	}
	sort.Slice(paths, func(i, j int) bool {
		if bytes[paths[i]] != bytes[paths[j]] {
			return bytes[paths[i]] > bytes[paths[j]]
		}
		return paths[i] < paths[j]
	})
	return paths, bytes, fetches
}

// encodings lists the distinct Accept-Encoding values seen, and the
// Content-Encoding used for each .wasm path.
func encodings(log []served) (accept []string, wasm map[string]string) {
	seen := map[string]bool{}
	wasm = map[string]string{}
	for _, s := range log {
		if !seen[s.AcceptEncoding] {
			seen[s.AcceptEncoding] = true
			accept = append(accept, s.AcceptEncoding)
		}
		if strings.HasSuffix(s.Path, ".wasm") && s.Status == http.StatusOK {
			wasm[s.Path] = s.Encoding
		}
	}
	sort.Strings(accept)
	return accept, wasm
}
