//go:build e2e

// Package e2e drives the built site (make build → build/web) in Debian's
// Chromium with chromedp: each test gets a fresh browser profile, and the
// site is served in-process by package server, with its real headers.
//
//	make test-e2e
//	go test -tags e2e ./e2e/ -site $PWD/build/web [-screenshot docs/screenshot.png]
package e2e

import (
	"context"
	"flag"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/tessera-ssl/tessera/internal/headless"
	"github.com/tessera-ssl/tessera/server"
)

var (
	siteDir    = flag.String("site", "../build/web", "the built site (make build)")
	chromium   = flag.String("chromium", "/usr/bin/chromium", "the browser to drive (never downloaded)")
	screenshot = flag.String("screenshot", "", "TestDemoFlow also writes the app mid-training to this PNG")
)

// siteURL is the in-process server's address, set by TestMain.
var siteURL string

func TestMain(m *testing.M) {
	flag.Parse()
	if _, err := os.Stat(filepath.Join(*siteDir, "index.html")); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: no built site at %s (run make build): %v\n", *siteDir, err)
		os.Exit(1)
	}
	if _, err := os.Stat(*chromium); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: no browser at %s: %v\n", *chromium, err)
		os.Exit(1)
	}
	h, err := server.NewDir(*siteDir, server.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	ts := httptest.NewServer(h)
	siteURL = ts.URL
	code := m.Run()
	ts.Close()
	os.Exit(code)
}

// browser is one Chromium with a fresh profile and one tab.
type browser struct {
	t       *testing.T
	ctx     context.Context
	profile string

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

// newBrowser starts Chromium with the flags the project allows and a
// profile of its own (so IndexedDB and the service worker start empty).
// profile may be reused across browsers to test a reload after a restart;
// "" makes a new one.
func newBrowser(t *testing.T, profile string) *browser {
	t.Helper()
	if profile == "" {
		profile = t.TempDir()
	}
	opts := headless.Options(*chromium, profile, chromedp.WindowSize(1280, 1640))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	b := &browser{t: t, ctx: ctx, profile: profile}
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		cancelAlloc()
		t.Fatalf("starting %s: %v", *chromium, err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		cancel()
		cancelAlloc()
	})
	return b
}

// do runs actions, failing the test on error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads the app and waits until the trainer worker is ready.
func (b *browser) open() {
	b.t.Helper()
	b.do("navigate", chromedp.Navigate(siteURL+"/"))
	b.waitJS("the trainer is ready",
		`(() => { const s = document.querySelector('[data-testid=status]'); return s && /ready|restored/.test(s.textContent) })()`,
		60*time.Second)
}

// eval evaluates a JavaScript expression.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitJS polls a JavaScript predicate until it is truthy, failing with the
// page's visible worker errors on timeout.
func (b *browser) waitJS(what, predicate string, timeout time.Duration) {
	b.t.Helper()
	_, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](predicate,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		b.t.Fatalf("waiting for %s: %v\npretraining: step %q, workers %q, start button %s\npage errors: %s\nconsole: %s",
			what, err, b.text("pretrain-step"), b.text("pretrain-workers"),
			eval[string](b, `(document.querySelector('[data-testid=pretrain-start]') || {}).disabled ? "disabled" : "enabled"`),
			b.text("worker-errors"), b.consoleText())
	}
}

// sel is the CSS selector of a data-testid hook.
func sel(testid string) string { return fmt.Sprintf(`[data-testid=%q]`, testid) }

// text returns the text of a data-testid element ("" if absent).
func (b *browser) text(testid string) string {
	b.t.Helper()
	return eval[string](b, fmt.Sprintf(`(document.querySelector(%q) || {textContent: ""}).textContent.trim()`, sel(testid)))
}

// number reads a data-testid element holding a plain number.
func (b *browser) number(testid string) float64 {
	b.t.Helper()
	s := b.text(testid)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		b.t.Fatalf("%s holds %q, not a plain number", testid, s)
	}
	return v
}

// click waits until the element is enabled and clicks its center. Like a
// user's, the click goes to a point on the screen (chromedp reads where the
// element is, then sends the mouse there), so the layout must be settled:
// after an action that moves the page (dismissing the errors panel), wait
// for its effect first, or the click may land on whatever moved under that
// point.
func (b *browser) click(testid string) {
	b.t.Helper()
	b.waitJS(testid+" enabled", fmt.Sprintf(`(() => { const e = document.querySelector(%q); return e && !e.disabled })()`, sel(testid)), 30*time.Second)
	b.do("click "+testid, chromedp.Click(chromedp.CSS(sel(testid))))
}

// setValue sets an input's or select's value and fires change, as a user would.
func (b *browser) setValue(testid, value string) {
	b.t.Helper()
	eval[chromedp.Void](b, fmt.Sprintf(`(() => { const e = document.querySelector(%q);
		e.value = %q; e.dispatchEvent(new Event('change', {bubbles: true})); })()`, sel(testid), value))
}

// consoleErrors are the console errors and uncaught exceptions so far.
func (b *browser) consoleErrors() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var errs []string
	for _, m := range b.console {
		if m.IsException() || m.Type == chromedp.ConsoleError {
			errs = append(errs, fmt.Sprintf("%s (%s:%d)", m.Text, m.URL, m.Line+1))
		}
	}
	return errs
}

func (b *browser) consoleText() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var lines []string
	for _, m := range b.console {
		lines = append(lines, fmt.Sprintf("[%s] %s", m.Type, m.Text))
	}
	return strings.Join(lines, "\n")
}

// noErrors fails if the console or the page's error panel reported anything.
func (b *browser) noErrors() {
	b.t.Helper()
	if errs := b.consoleErrors(); len(errs) > 0 {
		b.t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
	if e := b.text("worker-errors"); e != "" {
		b.t.Errorf("the page shows errors: %s", e)
	}
}
