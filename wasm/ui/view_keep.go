package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// renderKeep is the last step: the autosave, the model's download and upload, and
// forgetting the run.
func (a *App) renderKeep(s *State) app.UI {
	has := s.Model != nil && (s.Model.Pretrained || s.Model.Classifier)
	saved := "Nothing saved yet."
	if s.SavedBytes > 0 {
		saved = "Saved in this browser (" + fmtBytes(s.SavedBytes) + "): a reload picks up here without retraining."
	} else if s.Restored {
		saved = "Restored from this browser's storage."
	}
	what := "model"
	if s.Model != nil && s.Model.Classifier {
		what = "the fine-tuned classifier"
	} else if has {
		what = "the pretrained network (" + s.Model.Task + ")"
	}
	return step(s.StepNumber(SecKeep), "keep", "Keep it",
		"The model and this page's state save themselves to IndexedDB after each phase. Models download and upload as .safetensors (PyTorch names and layouts).",
		app.P().DataSet("testid", "autosave").Text(saved),
		app.Div().Class("row").Body(
			app.Button().DataSet("testid", "model-download").Disabled(!has || s.Running != "").
				Text("Download "+what).
				OnClick(func(ctx app.Context, e app.Event) {
					s.Busy = "preparing the download…"
					a.send(&protocol.SaveModel{})
				}),
			app.Label().Class("button").Body(
				app.Text("Upload a .safetensors model"),
				app.Input().Type("file").Accept(".safetensors").Class("hidden-input").DataSet("testid", "model-upload").
					Disabled(s.Running != "").
					OnChange(func(ctx app.Context, e app.Event) {
						src := ctx.JSSrc()
						files := src.Get("files")
						if files.Length() == 0 {
							return
						}
						f := files.Index(0)
						name := f.Get("name").String()
						src.Set("value", "")
						a.ask(SecKeep, s.uploadLoses(name), "Replace the model", func() {
							s.Busy = "loading the model…"
							s.Touch()
							f.Call("arrayBuffer").Then(func(buf app.Value) {
								u := app.Window().Get("Uint8Array").New(buf)
								data := make([]byte, u.Length())
								app.CopyBytesToGo(data, u)
								ctx.Dispatch(func(ctx app.Context) { a.send(&protocol.LoadModel{Name: name, Data: data}) })
							})
						})
					}),
			),
			app.Button().Class("link danger").DataSet("testid", "reset").Text("Forget this run").
				Disabled(s.Running != "").
				OnClick(func(ctx app.Context, e app.Event) {
					a.ask(SecKeep, s.forgetLoses(), "Forget it", func() {
						a.send(&protocol.Reset{})
						a.state.Apply(&protocol.Snapshot{Data: s.Data})
						s.SavedBytes, s.Restored = 0, false
						s.Touch()
					})
				}),
		),
		a.renderConfirm(SecKeep),
	)
}
