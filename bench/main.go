//go:build !js

// Command bench measures training speed in headless Chromium: Tessera (Go →
// WebAssembly with SIMD, 1 worker and N data-parallel workers) against
// TensorFlow.js 4.22 (wasm with SIMD at 1 and N threads, cpu) and ConvNetJS
// 0.3.0, all training the same reference CNN (nn.NewReferenceNet: conv3×3 16
// → pool → conv3×3 32 → pool → conv3×3 64 → pool → dense 10) on batches of 32
// with SGD + momentum, and prints a table of samples/s.
//
// Run from the module root after `npm ci` in bench/ (make bench does both):
//
//	go run ./bench -rounds 3 -seconds 2
//
// It builds bench/worker for js/wasm with GOEXPERIMENT=simd, copies the page
// (bench/page), wasm_exec.js and the libraries from bench/node_modules into a
// temporary directory, serves it on 127.0.0.1 with COOP/COEP headers (so
// SharedArrayBuffer works), and loads the page once per configuration and
// round, rounds alternating, in one browser session.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tessera-ssl/tessera/internal/headless"
)

func main() {
	rounds := flag.Int("rounds", 3, "rounds; each runs every configuration once")
	seconds := flag.Float64("seconds", 2, "timed span of one measurement, in seconds")
	chromium := flag.String("chromium", "/usr/bin/chromium", "Chromium binary")
	only := flag.String("only", "", "comma-separated configurations to run (default all): "+strings.Join(allConfigs, ","))
	jsonOut := flag.String("json", "", "also write every measurement to this JSON file")
	flag.Parse()
	if err := run(*rounds, *seconds, *chromium, *only, *jsonOut); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// allConfigs are the page's configurations; "tfjs-wasm-n" is TF.js wasm with
// navigator.hardwareConcurrency threads, "tfjs-wasm-worker-*" the same in a
// Web Worker.
var allConfigs = []string{"tessera-1", "tessera-n-sab", "tessera-n-msg", "tfjs-wasm-1", "tfjs-wasm-n",
	"tfjs-wasm-worker-1", "tfjs-wasm-worker-n", "tfjs-cpu", "convnetjs", "tessera-rotation-1", "tessera-jigsaw-1"}

func run(rounds int, seconds float64, chromium, only, jsonOut string) error {
	configs := allConfigs
	if only != "" {
		configs = strings.Split(only, ",")
		for _, c := range configs {
			if !slices.Contains(allConfigs, c) {
				return fmt.Errorf("unknown configuration %q (have %s)", c, strings.Join(allConfigs, ", "))
			}
		}
	}
	site, err := os.MkdirTemp("", "tessera-bench-site-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(site)
	if err := buildSite(site); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: isolated(http.FileServer(http.Dir(site)))}
	go srv.Serve(ln)
	defer srv.Close()
	base := "http://" + ln.Addr().String() + "/"

	ctx, stop, console, err := startBrowser(chromium)
	if err != nil {
		return err
	}
	defer stop()
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"index.html?run=none")); err != nil {
		return fmt.Errorf("open the page: %w", err)
	}
	cores, err := chromedp.Run(ctx, chromedp.Evaluate[int]("navigator.hardwareConcurrency"))
	if err != nil {
		return err
	}
	isolatedOK, _ := chromedp.Run(ctx, chromedp.Evaluate[bool]("self.crossOriginIsolated"))
	fmt.Printf("Chromium %s, navigator.hardwareConcurrency %d, crossOriginIsolated %v; %d rounds, %.1f s each\n",
		browserVersion(ctx), cores, isolatedOK, rounds, seconds)

	var results []result
	for r := range rounds {
		for i := range configs { // rotate the order so no configuration always goes first
			c := configs[(i+r)%len(configs)]
			if cores < 2 && (strings.HasSuffix(c, "-n") || strings.HasPrefix(c, "tessera-n")) {
				continue
			}
			q := "run=" + c
			switch c {
			case "tfjs-wasm-1":
				q = "run=tfjs-wasm&threads=1"
			case "tfjs-wasm-n":
				q = fmt.Sprintf("run=tfjs-wasm&threads=%d", cores)
			case "tfjs-wasm-worker-1":
				q = "run=tfjs-wasm-worker&threads=1"
			case "tfjs-wasm-worker-n":
				q = fmt.Sprintf("run=tfjs-wasm-worker&threads=%d", cores)
			}
			res, err := measure(ctx, fmt.Sprintf("%sindex.html?%s&seconds=%g", base, q, seconds))
			res.Config, res.Round = c, r
			if err != nil || res.Error != "" {
				return fmt.Errorf("%s, round %d: %v %s\nconsole:\n%s", c, r+1, err, res.Error, console())
			}
			fmt.Fprintf(os.Stderr, "round %d %-14s %7.1f samples/s (%d steps, loss %.3f → %.3f)\n",
				r+1, c, res.SamplesPerSec, res.Steps, deref(res.LossWarm), deref(res.Loss))
			results = append(results, res)
		}
	}
	fmt.Println()
	printTable(os.Stdout, results)
	if jsonOut != "" {
		b, _ := json.MarshalIndent(results, "", "  ")
		if err := os.WriteFile(jsonOut, b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// result is what the page's window.benchDone resolves to, plus the driver's labels.
type result struct {
	Config, Label    string
	Round            int
	Steps            int
	MS               float64
	SamplesPerSec    float64
	LossWarm         *float64 // NaN arrives as null
	Loss             *float64
	TickFraction     *float64
	IdleTickFraction *float64
	Env              map[string]any
	Info             map[string]any
	Error            string
}

func deref(p *float64) float64 {
	if p == nil {
		return 0
	}
	return *p
}

// measure loads one configuration and waits for its result.
func measure(ctx context.Context, url string) (result, error) {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return result{}, err
	}
	return chromedp.Run(ctx, chromedp.Evaluate[result](
		`new Promise((ok) => { const f = () => window.benchDone ? ok(window.benchDone) : setTimeout(f, 50); f(); })`,
		chromedp.EvalAwaitPromise))
}

// isolated adds the headers that make the page cross-origin isolated
// (SharedArrayBuffer, threads in TF.js's wasm backend) and turns caching off.
func isolated(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cross-Origin-Opener-Policy", "same-origin")
		w.Header().Set("Cross-Origin-Embedder-Policy", "require-corp")
		w.Header().Set("Cross-Origin-Resource-Policy", "same-origin")
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// startBrowser starts headless Chromium with a fresh profile and returns its
// context, a stop func and a func that returns the console so far.
func startBrowser(chromium string) (context.Context, func(), func() string, error) {
	profile, err := os.MkdirTemp("", "tessera-bench-profile-")
	if err != nil {
		return nil, nil, nil, err
	}
	opts := headless.Options(chromium, profile)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	stop := func() { cancel(); cancelAlloc(); os.RemoveAll(profile) }
	if err := chromedp.Do(ctx); err != nil {
		stop()
		return nil, nil, nil, fmt.Errorf("start %s: %w", chromium, err)
	}
	var mu sync.Mutex
	var lines []string
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			mu.Lock()
			lines = append(lines, fmt.Sprint(m))
			mu.Unlock()
		}
	}()
	console := func() string {
		mu.Lock()
		defer mu.Unlock()
		return strings.Join(lines, "\n")
	}
	return ctx, stop, console, nil
}

func browserVersion(ctx context.Context) string {
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(navigator.userAgent.match(/Chrome\/([\d.]+)/) || [])[1] || navigator.userAgent`))
	if err != nil {
		return "?"
	}
	return v
}

// buildSite fills dir with the page, the worker's wasm, wasm_exec.js and
// the comparison libraries.
func buildSite(dir string) error {
	if _, err := os.Stat(filepath.Join("bench", "page", "index.html")); err != nil {
		return errors.New("run from the module root (bench/page/index.html not found)")
	}
	goCmd := os.Getenv("GO")
	if goCmd == "" {
		goCmd = "go"
	}
	build := exec.Command(goCmd, "build", "-trimpath", "-o", filepath.Join(dir, "tessera-bench.wasm"), "./bench/worker")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm", "GOEXPERIMENT=simd")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build bench/worker: %w", err)
	}
	goroot, err := exec.Command(goCmd, "env", "GOROOT").Output()
	if err != nil {
		return fmt.Errorf("go env GOROOT: %w", err)
	}
	copies := map[string]string{
		filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"): "wasm_exec.js",
	}
	pages, err := filepath.Glob(filepath.Join("bench", "page", "*"))
	if err != nil {
		return err
	}
	for _, p := range pages {
		copies[p] = filepath.Base(p)
	}
	nm := filepath.Join("bench", "node_modules")
	for _, lib := range []string{
		"@tensorflow/tfjs/dist/tf.min.js",
		"@tensorflow/tfjs-backend-wasm/dist/tf-backend-wasm.min.js",
		"@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm",
		"@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm",
		"@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm",
		"convnetjs/build/convnet.js",
	} {
		copies[filepath.Join(nm, lib)] = filepath.Join("lib", filepath.Base(lib))
	}
	if err := os.MkdirAll(filepath.Join(dir, "lib"), 0o755); err != nil {
		return err
	}
	for src, dst := range copies {
		if err := copyFile(src, filepath.Join(dir, dst)); err != nil {
			if errors.Is(err, os.ErrNotExist) && strings.HasPrefix(src, nm) {
				return fmt.Errorf("%w (run `npm ci` in bench/ first)", err)
			}
			return err
		}
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return fmt.Errorf("copy %s: %w", src, err)
	}
	return out.Close()
}
