// Package server serves Tessera's built static site over HTTP: the output
// of cmd/buildsite, that is go-app's app.GenerateStaticWebsite plus the one
// wasm binary, web/app.wasm (with its .gz and .br siblings), which is the UI
// on the page and the trainer in the page's Web Workers.
//
// It is a small net/http handler with the policies a Go WebAssembly app needs
// and nothing else:
//
//   - MIME types: application/wasm for .wasm (required by
//     WebAssembly.instantiateStreaming), text/javascript for .js,
//     application/manifest+json for .webmanifest; see fileTypes.
//   - Precompression: compressible files (wasm, js, css, html, json, svg, …)
//     are served gzip-encoded to clients that accept it, from a build-produced
//     sibling "x.gz" when present, otherwise compressed once (at
//     Options.GzipLevel) and kept in memory. A sibling "x.br" is served to
//     brotli clients. Every such response carries Vary: Accept-Encoding and
//     the exact Content-Length of the encoded body;
//     X-Uncompressed-Content-Length carries the identity size (give it to
//     go-app's Handler.WasmContentLengthHeader so the loading bar counts
//     decoded bytes).
//   - Caching: content-hashed names (see IsHashedName) are immutable for a
//     year; everything else, including HTML and go-app's service worker, is
//     "no-cache" and revalidated with a strong ETag (If-None-Match → 304).
//   - Isolation and hardening on every response: COOP same-origin and COEP
//     require-corp (so SharedArrayBuffer is available), CORP same-origin,
//     nosniff, Referrer-Policy no-referrer and a Content Security Policy that
//     allows exactly what go-app and Go wasm use (see DefaultCSP).
//   - Safety: GET and HEAD only (405 otherwise); no directory listings; paths
//     with "..", ".", empty segments, backslashes or NUL are rejected (400);
//     dot-files are hidden (404); NewDir confines reads to the directory with
//     os.Root, so symlinks cannot leave it.
//   - Routing: "/" and "/dir/" serve index.html; an extensionless path serves
//     "path.html" (how go-app writes its static pages) or else falls back to
//     /index.html, since go-app routes on the client.
//
// Typical use, as in cmd/tessera-serve:
//
//	h, err := server.NewDir("build/web", server.Options{})
//	ln, err := server.Listen("127.0.0.1:8080")
//	fmt.Printf("Tessera is running at %s\n", server.URL(ln.Addr()))
//	err = server.Serve(ctx, ln, h) // returns after ctx is cancelled and requests drain
package server
