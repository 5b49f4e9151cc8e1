package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// App is the page: six steps, top to bottom (steps.go). It renders State and turns
// the user's actions into messages through the Bridge.
type App struct {
	app.Compo

	state  *State
	bridge Bridge
	// formError is the last invalid form value, shown beside the forms.
	formError string
	// confirm is the question pending before data or a model is replaced.
	confirm *confirmation
}

// OnInit prepares an empty state (also when prerendering the static page).
func (a *App) OnInit() {
	a.state = NewState()
	a.bridge = &recorder{}
}

// OnMount starts the trainer worker and asks it to restore the autosaved run.
func (a *App) OnMount(ctx app.Context) {
	a.bridge = NewBridge(func(m protocol.Msg) {
		ctx.Dispatch(func(ctx app.Context) { a.receive(m) })
	})
	w, cores := app.Window(), 1
	if v := w.Get("navigator").Get("hardwareConcurrency"); v.Type() == app.TypeNumber {
		cores = v.Int()
	}
	a.state.SetEnvironment(cores, w.Get("crossOriginIsolated").Truthy())
	for id, split := range map[string]string{"drop-unlabeled": protocol.SplitUnlabeled, "drop-labeled": protocol.SplitLabeled} {
		a.bridge.AttachDropZone(id, split, func(n int) {
			ctx.Dispatch(func(app.Context) { a.state.FilesSent(split, n) })
		})
	}
	a.bridge.Send(&protocol.Hello{})
}

// OnAppUpdate reloads as soon as go-app's service worker has fetched a new
// build, so the page runs the latest one; while training it only says so
// (the run autosaves when the phase ends, and a reload restores it).
func (a *App) OnAppUpdate(ctx app.Context) {
	if !ctx.AppUpdateAvailable() {
		return
	}
	if a.state.Running == "" {
		ctx.Reload()
		return
	}
	a.state.UpdateAvailable = true
}

// receive applies a worker message (on the UI goroutine) and sends what
// the reducer asks for in return.
func (a *App) receive(m protocol.Msg) {
	a.state.Apply(m)
	if mod, ok := m.(*protocol.Model); ok {
		a.bridge.Download(mod.Name, mod.Data)
	}
	for _, r := range a.state.TakeRequests() {
		a.send(r)
	}
}

// State exposes the state to tests.
func (a *App) State() *State { return a.state }

func (a *App) send(m protocol.Msg) { a.bridge.Send(m) }

// setting returns a change handler for one form field.
func (a *App) setting(name string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		defer a.state.Touch()
		if err := a.state.SetSetting(name, ctx.JSSrc().Get("value").String()); err != nil {
			a.formError = err.Error()
			return
		}
		a.formError = ""
	}
}

// files returns a change handler for a file input feeding split (a drop
// zone's files take the same path: State.FilesSent).
func (a *App) files(split string) app.EventHandler {
	return func(ctx app.Context, e app.Event) {
		src := ctx.JSSrc()
		a.state.FilesSent(split, a.bridge.SendFiles(split, src.Get("files")))
		src.Set("value", "") // picking the same files again fires change again
	}
}

func (a *App) Render() app.UI {
	s := a.state
	if s == nil {
		s = NewState()
	}
	return app.Div().Class("page").Body(
		a.renderHeader(s),
		a.renderErrors(s),
		app.Main().Body(
			&section{A: a, Rev: s.Rev[SecData], render: a.renderData},
			&section{A: a, Rev: s.Rev[SecPretext], render: a.renderPretext},
			&section{A: a, Rev: s.Rev[SecInsight], render: a.renderInsight},
			&section{A: a, Rev: s.Rev[SecDownstream], render: a.renderDownstream},
			&section{A: a, Rev: s.Rev[SecResults], render: a.renderResults},
			&section{A: a, Rev: s.Rev[SecKeep], render: a.renderKeep},
		),
		app.Footer().Body(
			app.Text("Tessera trains a convolutional network in pure Go, compiled to WebAssembly, in a Web Worker. Nothing leaves your browser."),
		),
	)
}

// section is one step of the page as a child component: go-app re-renders
// it only when Rev changes (A is the same pointer every time).
type section struct {
	app.Compo
	A      *App
	Rev    int
	render func(*State) app.UI
}

func (c *section) Render() app.UI { return c.render(c.A.state) }
