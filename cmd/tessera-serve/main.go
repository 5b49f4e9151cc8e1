// Command tessera-serve serves Tessera's built site (make build writes it to
// build/web) on the loopback interface, with the headers the app needs:
// application/wasm, gzip/brotli, cache policy, and cross-origin isolation for
// SharedArrayBuffer. Stop it with Ctrl-C; it drains requests before exiting.
//
//	tessera-serve [-addr 127.0.0.1:8080] [-dir build/web]
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/tessera-ssl/tessera/server"
)

func main() {
	addr := flag.String("addr", server.DefaultAddr, "`host:port` to listen on")
	dir := flag.String("dir", "build/web", "`directory` of the built site (holds index.html)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: tessera-serve [-addr host:port] [-dir directory]\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 0 {
		flag.Usage()
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := server.Run(ctx, *addr, *dir, server.Options{}, func(url string) {
		fmt.Printf("Tessera is running at %s\n", url)
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "tessera-serve: %v\n", err)
		os.Exit(1)
	}
	fmt.Println("tessera-serve: stopped")
}
