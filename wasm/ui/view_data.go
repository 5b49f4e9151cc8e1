package ui

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// renderData is the first step: the demo or the user's images (picked or dropped),
// what loaded, and the labeling panel (view_labeling.go).
func (a *App) renderData(s *State) app.UI {
	d := s.Data
	if d == nil {
		d = &protocol.DataLoaded{}
	}
	return step(s.StepNumber(SecData), "data", "Data",
		"Start with the demo (a CIFAR-10 subset) or bring your own pictures: unlabeled images for pretraining, and a folder whose subfolders are the classes for the labeled part.",
		app.Div().Class("row").Body(
			app.Button().Class("primary").DataSet("testid", "demo").Text("Try the demo").
				Disabled(!s.WorkerReady || s.Running != "").
				OnClick(func(ctx app.Context, e app.Event) {
					a.ask(SecData, s.demoLoses(), "Replace them with the demo", func() {
						s.Busy = "loading the demo…"
						s.Touch()
						a.send(&protocol.LoadDemo{})
					})
				}),
			app.Span().Class("or").Text("or upload your own"),
		),
		a.renderConfirm(SecData),
		app.Div().Class("drops").Body(
			app.Label().Class("drop").ID("drop-unlabeled").Body(
				app.Strong().Text("Unlabeled images"),
				app.Small().Text("Drop files here or click to pick many at once (JPEG, PNG, GIF, WebP)."),
				app.Input().Type("file").Multiple(true).Accept("image/*").
					DataSet("testid", "upload-unlabeled").OnChange(a.files(protocol.SplitUnlabeled)),
			),
			app.Label().Class("drop").ID("drop-labeled").Body(
				app.Strong().Text("Labeled images"),
				app.Small().Text("Pick or drop a folder whose subfolders are the classes (cat/, dog/, …)."),
				app.Input().Type("file").Multiple(true).Attr("webkitdirectory", true).
					DataSet("testid", "upload-labeled").OnChange(a.files(protocol.SplitLabeled)),
			),
			app.Label().Class("drop small").Body(
				app.Strong().Text("Test images (optional)"),
				app.Small().Text("A folder like the labeled one; otherwise a share of the labeled images is held out."),
				app.Input().Type("file").Multiple(true).Attr("webkitdirectory", true).
					DataSet("testid", "upload-test").OnChange(a.files(protocol.SplitTest)),
			),
		),
		app.Div().Class("stats").Body(
			app.Div().Class("stat").Body(
				app.Span().Class("big").DataSet("testid", "image-count").Text(strconv.Itoa(s.ImageCount())),
				app.Span().Class("unit").Text("images loaded"),
			),
			app.Div().Class("stat").Body(app.Span().Class("big").Text(strconv.Itoa(d.Unlabeled)), app.Span().Class("unit").Text("unlabeled")),
			app.Div().Class("stat").Body(app.Span().Class("big").Text(strconv.Itoa(d.Labeled)), app.Span().Class("unit").Text("labeled")),
			app.Div().Class("stat").Body(app.Span().Class("big").Text(strconv.Itoa(d.Test)), app.Span().Class("unit").Text("test")),
			app.Label().Class("field").Body(
				app.Span().Text("Held-out test share (%)"),
				app.Input().Type("number").Min(1).Max(99).Value(s.Settings.TestPercent).
					DataSet("testid", "test-percent").OnChange(a.setting("test-percent")),
			),
		),
		app.If(len(d.Classes) > 0, func() app.UI {
			return app.Div().Class("classes").DataSet("testid", "class-counts").Body(
				app.Range(d.Classes).Slice(func(i int) app.UI {
					n := 0
					if i < len(d.PerClass) {
						n = d.PerClass[i]
					}
					return app.Span().Class("chip").Body(userName(d.Classes[i]), app.Text(" "), app.B().Text(strconv.Itoa(n)))
				}),
			)
		}),
		app.If(len(s.Thumbs) > 0, func() app.UI {
			return app.Div().Class("thumbs").DataSet("testid", "thumbnails").Body(
				app.Range(s.Thumbs).Slice(func(i int) app.UI {
					t := s.Thumbs[i]
					title := "unlabeled"
					if t.Class >= 0 {
						title = className(d.Classes, t.Class)
					}
					title = protocol.VisibleName(title)
					return app.Button().Class("thumb-button").DataSet("testid", "thumb").DataSet("pool", t.Pool).DataSet("class", t.Class).
						Title(title + " — click to see its nearest neighbours").OnClick(a.onThumb).
						Body(app.Img().Class("thumb").Src(t.URL).Alt(title))
				}),
			)
		}),
		a.renderLabeler(s),
		app.If(d.Duplicates > 0, func() app.UI {
			return app.P().Class("note").DataSet("testid", "duplicates").
				Text(fmt.Sprintf("%d %s skipped (the same picture was already loaded)", d.Duplicates, plural(d.Duplicates, "duplicate")))
		}),
		app.If(len(d.Warnings) > 0, func() app.UI {
			return app.Ul().Class("warnings").DataSet("testid", "data-warnings").Body(
				app.Range(d.Warnings).Slice(func(i int) app.UI { return app.Li().Text(d.Warnings[i]) }),
			)
		}),
		renderFileErrors(d.FileErrors),
	)
}

// renderFileErrors lists the files that could not be used, each named
// safely with its reason; past shownErrors the first ones fold away, so the
// list holds every file however many failed.
func renderFileErrors(errs []protocol.FileError) app.UI {
	item := func(fe protocol.FileError) app.UI {
		return app.Li().Body(app.Code().Body(userName(fe.Name)), app.Text(" — "+fe.Reason))
	}
	newest, older := errs[:min(len(errs), shownErrors)], errs[min(len(errs), shownErrors):]
	return app.Div().Class("file-errors").Body(
		app.If(len(errs) > 0, func() app.UI {
			return app.P().Class("warn").Text(fmt.Sprintf("%d %s could not be used; the others loaded:", len(errs), plural(len(errs), "file")))
		}),
		app.Ul().DataSet("testid", "file-errors").Body(
			app.Range(newest).Slice(func(i int) app.UI { return item(newest[i]) }),
		),
		app.If(len(older) > 0, func() app.UI {
			return app.Details().DataSet("testid", "more-file-errors").Body(
				app.Summary().Text(fmt.Sprintf("%d more", len(older))),
				app.Ul().Body(app.Range(older).Slice(func(i int) app.UI { return item(older[i]) })),
			)
		}),
	)
}
