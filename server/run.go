package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"syscall"
	"time"
)

// DefaultAddr is where tessera-serve listens unless told otherwise: the
// loopback interface only, so the site is not exposed to the network.
const DefaultAddr = "127.0.0.1:8080"

// ShutdownTimeout bounds how long Serve waits for in-flight requests after
// its context is cancelled before closing their connections.
const ShutdownTimeout = 5 * time.Second

// Listen opens a TCP listener on addr ("host:port"). When the port is taken
// the error says so and suggests -addr.
func Listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("listen on %s: %w (is another server running? pick another port with -addr)", addr, syscall.EADDRINUSE)
		}
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	return ln, nil
}

// URL returns the http URL a browser on this machine should open for a
// listener bound to addr; an unspecified host (":8080", "0.0.0.0") becomes
// localhost.
func URL(addr net.Addr) string {
	host, port, err := net.SplitHostPort(addr.String())
	if err != nil {
		return "http://" + addr.String() + "/"
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}

// Serve serves h on ln until ctx is cancelled, then shuts down gracefully:
// it stops accepting, lets in-flight requests finish for up to
// ShutdownTimeout, and returns nil. It closes ln. Any other failure of the
// server is returned.
func Serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	shutdownErr := srv.Shutdown(sctx)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve on %s: %w", ln.Addr(), err)
	}
	if shutdownErr != nil {
		srv.Close()
		return fmt.Errorf("shutdown on %s: %w", ln.Addr(), shutdownErr)
	}
	return nil
}

// Run serves directory dir on addr until ctx is cancelled, calling started
// with the URL once the port is open (cmd/tessera-serve prints it). Files are
// precompressed in the background after start.
func Run(ctx context.Context, addr, dir string, opts Options, started func(url string)) error {
	h, err := NewDir(dir, opts)
	if err != nil {
		return err
	}
	defer h.Close()
	ln, err := Listen(addr)
	if err != nil {
		return err
	}
	if started != nil {
		started(URL(ln.Addr()))
	}
	go h.Precompress(ctx) // a cache warm-up: requests compute what it has not
	return Serve(ctx, ln, h)
}
