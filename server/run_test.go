package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestURL(t *testing.T) {
	tests := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "http://127.0.0.1:8080/"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 80}, "http://localhost:80/"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 8080}, "http://localhost:8080/"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 8080}, "http://[::1]:8080/"},
	}
	for _, tt := range tests {
		if got := URL(tt.addr); got != tt.want {
			t.Errorf("URL(%v) = %q, want %q", tt.addr, got, tt.want)
		}
	}
}

func TestListenInUse(t *testing.T) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ln2, err := Listen(ln.Addr().String())
	if err == nil {
		ln2.Close()
		t.Fatalf("Listen(%s) twice: no error", ln.Addr())
	}
	for _, s := range []string{ln.Addr().String(), "already in use", "-addr"} {
		if !strings.Contains(err.Error(), s) {
			t.Errorf("error %q does not mention %q", err, s)
		}
	}
}

// TestServeGracefulShutdown cancels Serve's context while a request is in
// flight: the request must still complete, new connections must be refused,
// and Serve must return nil once the request is done.
func TestServeGracefulShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "done")
	})
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	served := make(chan error, 1)
	go func() { served <- Serve(ctx, ln, h) }()

	type result struct {
		body string
		err  error
	}
	got := make(chan result, 1)
	go func() {
		res, err := http.Get(URL(ln.Addr()) + "slow")
		if err != nil {
			got <- result{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- result{string(b), err}
	}()
	<-entered
	cancel()
	// Wait until the listener is closed (Shutdown closes it first).
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			break
		}
		c.Close()
		if i == 500 {
			t.Fatal("listener still accepting 5s after cancel")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned (%v) with a request in flight", err)
	default:
	}
	close(release)
	if r := <-got; r.err != nil || r.body != "done" {
		t.Errorf("in-flight request: body %q, err %v; want %q", r.body, r.err, "done")
	}
	if err := <-served; err != nil {
		t.Errorf("Serve after shutdown: %v", err)
	}
}

// TestRun serves a directory over real TCP: the URL reported works, gzip
// comes through with the right Content-Length on the wire, and cancelling the
// context stops the server.
func TestRun(t *testing.T) {
	wasm := string(compressible(31, "\x00asm\x01\x00\x00\x00", 32<<10))
	dir := writeSite(t, map[string]string{"index.html": "<!DOCTYPE html><title>Tessera</title>", "web/app.wasm": wasm})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- Run(ctx, "127.0.0.1:0", dir, Options{}, func(u string) { urls <- u })
	}()
	var base string
	select {
	case base = <-urls:
	case err := <-done:
		t.Fatalf("Run: %v", err)
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	req, _ := http.NewRequest("GET", base+"web/app.wasm", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != 200 || res.Header.Get("Content-Encoding") != "gzip" ||
		res.ContentLength != int64(len(body)) || string(gunzip(t, body)) != wasm {
		t.Errorf("GET app.wasm over TCP: status %d, encoding %q, Content-Length %d for %d bytes, or body mismatch",
			res.StatusCode, res.Header.Get("Content-Encoding"), res.ContentLength, len(body))
	}
	if got := res.Header.Get(UncompressedLengthHeader); got != strconv.Itoa(len(wasm)) {
		t.Errorf("%s = %q, want %d", UncompressedLengthHeader, got, len(wasm))
	}
	checkSecurityHeaders(t, "GET app.wasm over TCP", res.Header)
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Run after cancel: %v", err)
	}
	if _, err := client.Get(base); err == nil {
		t.Errorf("server still answering after Run returned")
	}
}

func TestRunMissingDir(t *testing.T) {
	called := false
	err := Run(context.Background(), "127.0.0.1:0", t.TempDir()+"/build/web", Options{}, func(string) { called = true })
	if err == nil || !strings.Contains(err.Error(), "run make build first") || called {
		t.Errorf("Run on a missing dir: err %v, started called %v; want the build hint and no start", err, called)
	}
}
