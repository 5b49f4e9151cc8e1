// Command buildsite assembles Tessera's static site from the wasm binary
// (built beforehand with GOOS=js GOARCH=wasm from ./wasm/app; the same
// binary is the UI on the page and the trainer in web/worker.js's workers):
//
//	build/web/index.html, app.js, app-worker.js, …   go-app's static website
//	build/web/wasm_exec.js                           from $(go env GOROOT)/lib/wasm
//	build/web/web/app.wasm (+ .gz, .br)              the UI and the trainer
//	build/web/web/…                                  the assets of web/ (CSS, worker.js, demo)
//	build/web/web/icon-192.png, icon-512.png         drawn here
//
// The go-app Version is a hash of every file it serves from web/ plus the
// wasm_exec.js, so its cache-first service worker picks up any rebuild.
//
//	go run ./cmd/buildsite -out build/web -app build/app.wasm
package main

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/ui"
)

func main() {
	out := flag.String("out", "build/web", "output directory (replaced)")
	appWasm := flag.String("app", "build/app.wasm", "the wasm binary: the UI on the page, the trainer in workers")
	assets := flag.String("web", "web", "static assets to copy into <out>/web")
	flag.StringVar(&wasmExec, "wasm-exec", wasmExec, "the wasm_exec.js of the Go that built the binary ($(go env GOROOT)/lib/wasm/wasm_exec.js)")
	flag.IntVar(&brotliQuality, "br-quality", brotliQuality, "brotli quality (0-11) of the wasm binary's .br sibling; -1 writes none")
	flag.Parse()
	if brotliQuality > 11 {
		log.Fatal("buildsite: -br-quality is at most 11")
	}
	if err := build(*out, *appWasm, *assets); err != nil {
		log.Fatal("buildsite: ", err)
	}
}

// wasmExec is the wasm_exec.js to ship (-wasm-exec); by default that of the
// Go running this program, which under `go run` is the one building the wasm.
var wasmExec = filepath.Join(runtime.GOROOT(), "lib", "wasm", "wasm_exec.js")

func build(out, appWasm, assets string) error {
	if c := filepath.Clean(out); c == "." || c == "/" || c == filepath.Clean(assets) {
		return fmt.Errorf("refusing to replace %q: give the output directory of its own", out)
	}
	if err := os.RemoveAll(out); err != nil {
		return err
	}
	webOut := filepath.Join(out, "web")
	if err := copyTree(assets, webOut); err != nil {
		return fmt.Errorf("copying %s: %w", assets, err)
	}
	if err := copyFile(appWasm, filepath.Join(webOut, "app.wasm")); err != nil {
		return err
	}
	if err := writeIcons(webOut); err != nil {
		return err
	}
	version, err := hashFiles(webOut, wasmExec)
	if err != nil {
		return err
	}
	// The trainer's script is cached by go-app's service worker with the
	// app's own (versioned) resources; its binary is app.wasm, cached anyway.
	h := &app.Handler{
		Name:            "Tessera",
		ShortName:       "Tessera",
		Title:           "Tessera — self-supervised learning in your browser",
		Description:     "Pretrain a CNN on unlabeled images with a pretext task (rotation, jigsaw, colorization, relative position), then fine-tune it on a few labels — all in your browser, in Go and WebAssembly.",
		Icon:            app.Icon{Default: "/web/icon-192.png", Large: "/web/icon-512.png", SVG: "/web/icon.svg"},
		BackgroundColor: "#f8f9fa",
		ThemeColor:      "#1864ab",
		LoadingLabel:    "Loading Tessera… {progress}%",
		Styles:          []string{"/web/tessera.css"},
		CacheableResources: []string{
			"/web/worker.js", "/web/icon.svg",
		},
		// go-app's app.js fetches app.wasm only once the deferred scripts
		// run, after the document is parsed; the preload starts it while the
		// HTML is still parsing, and app.js's fetch takes over the response
		// (as="fetch" with crossorigin="anonymous" matches fetch()'s default
		// CORS mode and credentials).
		RawHeaders: []string{
			`<link rel="preload" href="/web/app.wasm" as="fetch" crossorigin="anonymous" fetchpriority="high">`,
		},
		Version:                 version,
		WasmContentLengthHeader: "X-Uncompressed-Content-Length",
	}
	ui.Routes()
	if err := app.GenerateStaticWebsite(out, h); err != nil {
		return fmt.Errorf("generating the static website: %w", err)
	}
	// go-app writes the wasm_exec.js it embeds; the binary needs the one
	// of the Go that built it.
	if err := copyFile(wasmExec, filepath.Join(out, "wasm_exec.js")); err != nil {
		return err
	}
	if err := precompress(filepath.Join(webOut, "app.wasm")); err != nil {
		return err
	}
	fmt.Printf("buildsite: wrote %s (version %s)\n", out, version[:12])
	return nil
}

// hashFiles returns a SHA-256 over the names and contents of every file
// under dir, and of the extra files.
func hashFiles(dir string, extra ...string) (string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		return "", err
	}
	sort.Strings(files)
	h := sha256.New()
	for _, f := range append(files, extra...) {
		b, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		rel := strings.TrimPrefix(f, dir)
		fmt.Fprintf(h, "%s\x00%d\x00", filepath.ToSlash(rel), len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func copyFile(src, dst string) error {
	b, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, b, 0o644)
}

// copyTree copies the regular files under src to dst, skipping dot-files.
func copyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.HasPrefix(d.Name(), ".") && p != src {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, filepath.Join(dst, rel))
	})
}
