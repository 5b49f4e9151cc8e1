// Command coldload measures how fast Tessera's built site loads in headless
// Chromium: bytes transferred per file and time to interactive, for a cold
// visit (fresh profile: empty HTTP cache, no service worker) and a warm one
// (the same tab navigating again, the service worker installed).
//
// It builds nothing: run `make build` first. The site (build/web) is served
// in-process by package server on 127.0.0.1:0, as tessera-serve serves it.
//
//	go run ./bench/coldload -runs 5
//
// Time to interactive (TTI) is from navigation start to the first moment
// the "Try the demo" button (data-testid=demo) is present and enabled and
// the status (data-testid=status) says the trainer worker is ready. Bytes
// are counted twice: by the server (every response body as written, after
// content encoding — including the service worker's precache fetches,
// which DevTools reports on another target) and by DevTools on the page
// (the sum of Network.loadingFinished's encodedDataLength, which includes
// headers).
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
	site := flag.String("site", "build/web", "the built site (make build)")
	chromium := flag.String("chromium", "/usr/bin/chromium", "the browser to drive (never downloaded)")
	runs := flag.Int("runs", 5, "fresh-profile runs")
	timeout := flag.Duration("timeout", 2*time.Minute, "limit for one visit")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("coldload: ")
	if _, err := os.Stat(filepath.Join(*site, "index.html")); err != nil {
		log.Fatalf("no built site at %s (run make build): %v", *site, err)
	}
	h, err := server.NewDir(*site, server.Options{})
	if err != nil {
		log.Fatal(err)
	}
	srv := &counter{next: h}
	ln, err := server.Listen("127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- server.Serve(ctx, ln, srv) }()
	url := strings.TrimSuffix(server.URL(ln.Addr()), "/") + "/"

	var cold, warm []visit
	for i := range *runs {
		c, w, err := coldThenWarm(*chromium, url, srv, *timeout)
		if err != nil {
			log.Fatalf("run %d: %v", i+1, err)
		}
		fmt.Printf("run %d: cold TTI %4.0f ms, %6.3f MB; warm TTI %4.0f ms, %6.3f MB\n", i+1,
			float64(c.TTI)/1e6, float64(total(c.Server))/1e6, float64(w.TTI)/1e6, float64(total(w.Server))/1e6)
		cold, warm = append(cold, c), append(warm, w)
	}
	stop()
	<-done

	accept, wasm := encodings(cold[0].Server)
	fmt.Printf("\nChromium's Accept-Encoding to %s: %s\n", strings.TrimSuffix(url, "/"), strings.Join(quote(accept), ", "))
	for _, p := range []string{"/web/app.wasm", "/web/worker.wasm"} {
		enc := wasm[p]
		if enc == "" {
			enc = "identity"
		}
		fmt.Printf("%s sent as %s\n", p, enc)
	}
	report("cold (fresh profile)", cold)
	report("warm (second visit, service worker installed)", warm)
	fmt.Println("\nfirst cold run, per file (server: body bytes, fetches; DevTools: encodedDataLength on the page target):")
	perFile(cold[0])
	fmt.Println("\nfirst warm run, per file:")
	perFile(warm[0])
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

func report(title string, vs []visit) {
	var tti, dcl, load []time.Duration
	var srvBytes, dtBytes []float64
	for _, v := range vs {
		tti, dcl, load = append(tti, v.TTI), append(dcl, v.DCL), append(load, v.Load)
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
	fmt.Printf("  transfer (server)       %s\n", summarize(srvBytes).mbString())
	fmt.Printf("  transfer (DevTools)     %s\n", summarize(dtBytes).mbString())
}

func perFile(v visit) {
	paths, bytes, fetches := fileBytes(v.Server)
	seen := map[string]bool{}
	for _, p := range paths {
		seen[p] = true
		fmt.Printf("  %-28s %10d B in %d fetch(es)   DevTools %10.0f B %s\n", p, bytes[p], fetches[p], v.DevTools[p], v.Cached[p])
	}
	for p, n := range v.DevTools {
		if !seen[p] {
			fmt.Printf("  %-28s %10s (no server response)  DevTools %10.0f B %s\n", p, "-", n, v.Cached[p])
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
