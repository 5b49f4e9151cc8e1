// Command app is Tessera's UI: the go-app binary that runs on the page's main
// thread (built to web/app.wasm). It never trains; the trainer worker does.
package main

import (
	"runtime/debug"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/ui"
)

func main() {
	// The UI's heap is small and short-lived garbage comes with every
	// message; collecting less often keeps main-thread pauses rare.
	debug.SetGCPercent(400)
	ui.Routes()
	app.RunWhenOnBrowser()
}
