// Command coldload measures how fast Tessera's built site loads in headless
// Chromium: bytes transferred per file and time to interactive, for a cold
// visit (fresh profile: empty HTTP cache, no service worker) and a warm one
// (the same tab navigating again, the service worker installed).
//
// It builds nothing: run `make build` first. The site (build/web) is served
// in-process by package server on 127.0.0.1:0, as tessera-serve serves it.
//
//	go run ./bench/coldload -runs 5
//	go run ./bench/coldload -site build/web,/tmp/other-web -runs 5   # A/B, alternating
//
// Time to interactive (TTI) is from navigation start to the first moment
// the "Try the demo" button (data-testid=demo) is present and enabled and
// the status (data-testid=status) says the trainer worker is ready. Bytes
// are counted twice: by the server (every response body as written, after
// content encoding — including the service worker's precache fetches,
// which DevTools reports on another target) and by DevTools on the page
// (the sum of Network.loadingFinished's encodedDataLength, which includes
// headers). Last, the sizes of the site's wasm binaries on disk (web/*.wasm:
// app.wasm, the UI and the trainer in one; older builds also had
// worker.wasm), raw and precompressed, are checked against the cold-load
// budget (-budget, 3 MB per encoding in all): Chromium takes brotli, other
// clients gzip.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tessera-ssl/tessera/server"
)

func main() {
	sites := flag.String("site", "build/web", "the built site (make build); several, comma-separated, are measured in alternation (an A/B test on a busy machine)")
	chromium := flag.String("chromium", "/usr/bin/chromium", "the browser to drive (never downloaded)")
	runs := flag.Int("runs", 5, "fresh-profile runs per site")
	timeout := flag.Duration("timeout", 2*time.Minute, "limit for one visit")
	perFiles := flag.Bool("files", true, "print the first run's bytes per file")
	budget := flag.Int64("budget", 3_000_000, "the cold-load budget of issue 6: bytes of the site's wasm binaries in all, per encoding")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("coldload: ")

	dirs := strings.Split(*sites, ",")
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	targets := make([]*target, len(dirs))
	for i, dir := range dirs {
		t, err := serve(ctx, dir)
		if err != nil {
			log.Fatal(err)
		}
		targets[i] = t
	}
	for i := range *runs {
		for _, t := range targets {
			c, w, err := coldThenWarm(*chromium, t.url, t.srv, *timeout)
			if err != nil {
				log.Fatalf("%s, run %d: %v", t.dir, i+1, err)
			}
			fmt.Printf("%s run %d: cold TTI %4.0f ms, %6.3f MB; warm TTI %4.0f ms, %6.3f MB\n", t.dir, i+1,
				float64(c.TTI)/1e6, float64(total(c.Server))/1e6, float64(w.TTI)/1e6, float64(total(w.Server))/1e6)
			t.cold, t.warm = append(t.cold, c), append(t.warm, w)
		}
	}
	for _, t := range targets {
		wasm, err := wasmFiles(t.dir)
		if err != nil {
			log.Fatal(err)
		}
		t.report(wasm, *perFiles)
		sizes, err := wasmSizes(t.dir)
		if err != nil {
			log.Fatal(err)
		}
		printBudget(os.Stdout, sizes, *budget)
	}
}

// target is one site under test, served on a port of its own.
type target struct {
	dir, url   string
	srv        *counter
	cold, warm []visit
}

// serve serves the site in dir with package server on 127.0.0.1:0 until
// ctx ends.
func serve(ctx context.Context, dir string) (*target, error) {
	if _, err := os.Stat(filepath.Join(dir, "index.html")); err != nil {
		return nil, fmt.Errorf("no built site at %s (run make build): %w", dir, err)
	}
	h, err := server.NewDir(dir, server.Options{})
	if err != nil {
		return nil, err
	}
	ln, err := server.Listen("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	t := &target{dir: dir, url: strings.TrimSuffix(server.URL(ln.Addr()), "/") + "/", srv: &counter{next: h}}
	go server.Serve(ctx, ln, t.srv)
	return t, nil
}

// report prints the site's measurements; wasmFiles names its binaries
// (in web/).
func (t *target) report(wasmFiles []string, perFiles bool) {
	fmt.Printf("\n== %s\n", t.dir)
	accept, wasm := encodings(t.cold[0].Server)
	fmt.Printf("Chromium's Accept-Encoding to %s: %s\n", strings.TrimSuffix(t.url, "/"), strings.Join(quote(accept), ", "))
	for _, f := range wasmFiles {
		p := "/web/" + f
		enc := wasm[p]
		if enc == "" {
			enc = "identity"
		}
		fmt.Printf("%s sent as %s\n", p, enc)
	}
	report("cold (fresh profile)", t.cold, wasmFiles)
	report("warm (second visit, service worker installed)", t.warm, wasmFiles)
	if !perFiles {
		return
	}
	fmt.Println("\nfirst cold run, per file (server: body bytes, fetches [status], first request start – last response end since navigation;")
	fmt.Println("DevTools: encodedDataLength on the page target, where the dedicated worker's and service worker's fetches do not appear):")
	perFile(t.cold[0])
	fmt.Println("\nfirst warm run, per file:")
	perFile(t.warm[0])
}

// coldThenWarm starts a browser with a fresh profile, visits the site
// twice and closes the browser.
func coldThenWarm(chromium, url string, srv *counter, timeout time.Duration) (cold, warm visit, err error) {
	s, err := newSession(chromium)
	if err != nil {
		return cold, warm, err
	}
	defer s.cancel()
	if cold, err = s.visit(url, srv, timeout); err != nil {
		return cold, warm, fmt.Errorf("cold visit: %w", err)
	}
	if warm, err = s.visit(url, srv, timeout); err != nil {
		return cold, warm, fmt.Errorf("warm visit: %w", err)
	}
	return cold, warm, nil
}

func total(log []served) int64 {
	var n int64
	for _, s := range log {
		n += s.Bytes
	}
	return n
}

// report prints the spread of a set of visits' timings and bytes; the
// first request for each of wasmFiles, and for web/worker.js (the trainer
// worker starting), is reported when the first visit made one.
func report(title string, vs []visit, wasmFiles []string) {
	var tti, dcl, load, ui []time.Duration
	var srvBytes, dtBytes []float64
	reqPaths := []string{"/web/worker.js"}
	for _, f := range wasmFiles {
		reqPaths = append(reqPaths, "/web/"+f)
	}
	reqs := make([][]time.Duration, len(reqPaths))
	for _, v := range vs {
		tti, dcl, load, ui = append(tti, v.TTI), append(dcl, v.DCL), append(load, v.Load), append(ui, v.UI)
		for i, p := range reqPaths {
			reqs[i] = append(reqs[i], firstRequest(v.Server, p))
		}
		srvBytes = append(srvBytes, float64(total(v.Server)))
		var d float64
		for _, n := range v.DevTools {
			d += n
		}
		dtBytes = append(dtBytes, d)
	}
	fmt.Printf("\n%s, %d runs: median (min–max)\n", title, len(vs))
	fmt.Printf("  time to interactive     %s\n", summarize(durations(tti)).msString())
	fmt.Printf("  DOMContentLoaded        %s\n", summarize(durations(dcl)).msString())
	fmt.Printf("  load                    %s\n", summarize(durations(load)).msString())
	for i, p := range reqPaths[1:] {
		if reqs[i+1][0] >= 0 {
			fmt.Printf("  %-23s %s\n", strings.TrimPrefix(p, "/web/")+" requested", summarize(durations(reqs[i+1])).msString())
		}
	}
	fmt.Printf("  app.wasm started        %s\n", summarize(durations(ui)).msString())
	if reqs[0][0] >= 0 {
		fmt.Printf("  worker.js requested     %s\n", summarize(durations(reqs[0])).msString())
	}
	fmt.Printf("  transfer (server)       %s\n", summarize(srvBytes).mbString())
	fmt.Printf("  transfer (DevTools)     %s\n", summarize(dtBytes).mbString())
}

// firstRequest is when the server first got a request for path during the
// visit (since the visit began; -1 if never).
func firstRequest(log []served, path string) time.Duration {
	first := time.Duration(-1)
	for _, s := range log {
		if s.Path == path && (first < 0 || s.Start < first) {
			first = s.Start
		}
	}
	return first
}

func perFile(v visit) {
	paths, bytes, fetches := fileBytes(v.Server)
	seen := map[string]bool{}
	for _, p := range paths {
		seen[p] = true
		var statuses []string
		var first, last time.Duration = -1, 0
		for _, s := range v.Server {
			if s.Path == p {
				st := fmt.Sprint(s.Status)
				if s.Encoding != "" {
					st += "/" + s.Encoding
				}
				statuses = append(statuses, st)
				if first < 0 || s.Start < first {
					first = s.Start
				}
				last = max(last, s.End)
			}
		}
		fmt.Printf("  %-22s %9d B, %d fetch(es) [%s] %4d–%4d ms   DevTools %9.0f B %s\n", p, bytes[p], fetches[p],
			strings.Join(statuses, " "), first.Milliseconds(), last.Milliseconds(), v.DevTools[p], v.Cached[p])
	}
	for p, n := range v.DevTools {
		if !seen[p] {
			fmt.Printf("  %-22s %9s (no server response)   DevTools %9.0f B %s\n", p, "-", n, v.Cached[p])
		}
	}
}

func quote(ss []string) []string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = fmt.Sprintf("%q", s)
	}
	return q
}
