// Command app is Tessera's browser binary (built to web/app.wasm), with two
// roles picked at start. On the page's main thread it is the go-app UI,
// which never trains. Inside a Web Worker (web/worker.js runs the same
// binary) it is the trainer: package worker, as leader or replica.
//
// One binary for both roles is fetched once: the worker's fetch of
// web/app.wasm is answered by the browser's cache (a 304), so a cold visit
// transfers about 2.5 MB gzip instead of 3.4 MB for two binaries (issue 6).
package main

import (
	"runtime/debug"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/ui"
)

func main() {
	if inWorker() {
		// Before any go-app call: the worker has no window or document.
		runTrainer()
		return
	}
	// The UI's heap is small and short-lived garbage comes with every
	// message; collecting less often keeps main-thread pauses rare.
	debug.SetGCPercent(400)
	ui.Routes()
	app.RunWhenOnBrowser()
}
