package ui

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// Routes registers the page with go-app; the browser binary (wasm/app, in
// its UI role) and the static site generator both call it, so the
// prerendered HTML matches the app.
func Routes() {
	app.Route("/", func() app.Composer { return &App{} })
}
