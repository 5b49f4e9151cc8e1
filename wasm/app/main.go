// Command app is Tessera's UI: the go-app binary that runs on the page's main
// thread (built to web/app.wasm). It never trains; the trainer worker does.
package main

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/ui"
)

func main() {
	ui.Routes()
	app.RunWhenOnBrowser()
}
