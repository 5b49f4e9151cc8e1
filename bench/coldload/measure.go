package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/tessera-ssl/tessera/internal/headless"
)

// visit is what one page load measured.
type visit struct {
	TTI, DCL, Load time.Duration      // from navigation start (performance.timeOrigin)
	UI             time.Duration      // app.wasm instantiated and started (go-app's loader removed)
	Server         []served           // responses the server wrote during the visit
	DevTools       map[string]float64 // URL path → sum of encodedDataLength (page target)
	Cached         map[string]string  // URL path → "service worker" / "disk cache" / "memory cache"
}

// interactive is true once the "Try the demo" button exists and is enabled
// and the header's status says the trainer worker is ready; it records the
// first moment it saw so in window.__tti (ms since navigation start). The
// page is prerendered (the button is there, disabled, before any wasm runs);
// go-app's app.js removes #app-wasm-loader once app.wasm is instantiated
// and its main started: the first moment it is gone goes in window.__ui.
const interactive = `(() => {
	if (window.__tti) return window.__tti;
	const b = document.querySelector('[data-testid=demo]');
	const s = document.querySelector('[data-testid=status]');
	if (!window.__ui && !document.getElementById('app-wasm-loader')) window.__ui = performance.now();
	if (b && !b.disabled && s && s.classList.contains('ready')) window.__tti = performance.now();
	return window.__tti || 0;
})()`

// timings reads the navigation timing of the document.
const timings = `(() => { const n = performance.getEntriesByType('navigation')[0];
	return [n.domContentLoadedEventStart, n.loadEventStart, window.__ui]; })()`

// session is one Chromium with a fresh profile and one tab, with the
// Network domain on.
type session struct {
	ctx     context.Context
	cancel  func()
	profile string

	mu       sync.Mutex
	urls     map[network.RequestID]string
	encoded  map[string]float64
	cachedBy map[string]string
}

func newSession(chromium string) (*session, error) {
	profile, err := os.MkdirTemp("", "coldload-profile-")
	if err != nil {
		return nil, err
	}
	opts := headless.Options(chromium, profile, chromedp.WindowSize(1280, 1000))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	s := &session{profile: profile}
	s.reset()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(s.listen))
	s.ctx = ctx
	s.cancel = func() {
		cancel()
		cancelAlloc()
		os.RemoveAll(profile)
	}
	if err := chromedp.Do(ctx); err != nil {
		s.cancel()
		return nil, fmt.Errorf("starting %s: %w", chromium, err)
	}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() || m.Type == chromedp.ConsoleError {
				fmt.Fprintf(os.Stderr, "console: %s (%s:%d)\n", m.Text, m.URL, m.Line+1)
			}
		}
	}()
	if _, err := chromedp.Call(ctx, network.Enable, network.EnableParams{}); err != nil {
		s.cancel()
		return nil, fmt.Errorf("enabling the network domain: %w", err)
	}
	return s, nil
}

func (s *session) reset() {
	s.mu.Lock()
	s.urls = map[network.RequestID]string{}
	s.encoded = map[string]float64{}
	s.cachedBy = map[string]string{}
	s.mu.Unlock()
}

// listen runs in the tab's event loop: it only files events away.
func (s *session) listen(ev any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		s.urls[ev.RequestID] = pathOf(ev.Request.URL)
	case *network.EventResponseReceived:
		p := pathOf(ev.Response.URL)
		switch {
		case ev.Response.FromServiceWorker:
			s.cachedBy[p] = "service worker"
		case ev.Response.FromDiskCache:
			s.cachedBy[p] = "disk cache"
		}
	case *network.EventRequestServedFromCache:
		s.cachedBy[s.urls[ev.RequestID]] = "memory cache"
	case *network.EventLoadingFinished:
		if p, ok := s.urls[ev.RequestID]; ok {
			s.encoded[p] += ev.EncodedDataLength
		}
	}
}

func pathOf(url string) string {
	if i := strings.Index(url, "://"); i >= 0 {
		url = url[i+3:]
		if j := strings.IndexByte(url, '/'); j >= 0 {
			return url[j:]
		}
		return "/"
	}
	return url
}

// visit loads url in the tab and waits until the app is interactive and
// the service worker has finished installing (so every byte the visit
// causes has been fetched).
func (s *session) visit(url string, srv *counter, timeout time.Duration) (visit, error) {
	s.reset()
	srv.take()
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	if err := chromedp.Do(ctx, chromedp.Navigate(url)); err != nil {
		return visit{}, fmt.Errorf("navigate: %w", err)
	}
	tti, err := chromedp.Run(ctx, chromedp.Poll[float64](interactive,
		chromedp.WithPollingInterval(5*time.Millisecond), chromedp.WithPollingTimeout(timeout)))
	if err != nil {
		state, _ := chromedp.Run(s.ctx, chromedp.Evaluate[string](`(() => {
			const b = document.querySelector('[data-testid=demo]'), s = document.querySelector('[data-testid=status]');
			return 'demo ' + (b ? (b.disabled ? 'disabled' : 'enabled') : 'absent') + ', status ' + (s ? s.className + ': ' + s.textContent : 'absent');
		})()`))
		return visit{}, fmt.Errorf("waiting for the app to be interactive (%s): %w", state, err)
	}
	t, err := chromedp.Run(ctx, chromedp.Evaluate[[]float64](timings))
	if err != nil || len(t) != 3 {
		return visit{}, fmt.Errorf("navigation timing %v: %w", t, err)
	}
	// The service worker is "ready" once it is active, i.e. after its
	// install (the precache of the wasm files) completed.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](
		`navigator.serviceWorker.ready.then(() => true)`, chromedp.EvalAwaitPromise)); err != nil {
		return visit{}, fmt.Errorf("waiting for the service worker: %w", err)
	}
	time.Sleep(200 * time.Millisecond) // let the last responses' events arrive
	v := visit{
		TTI: ms(tti), DCL: ms(t[0]), Load: ms(t[1]), UI: ms(t[2]),
		Server: srv.take(),
	}
	s.mu.Lock()
	v.DevTools, v.Cached = s.encoded, s.cachedBy
	s.mu.Unlock()
	return v, nil
}

func ms(f float64) time.Duration { return time.Duration(f * float64(time.Millisecond)) }
