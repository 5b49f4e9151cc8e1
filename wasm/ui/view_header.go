package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The page's header (the brand and the worker's status) and the error
// panel under it.

// renderHeader is the brand and the status of the worker.
func (a *App) renderHeader(s *State) app.UI {
	status, class := "starting the trainer…", "status starting"
	switch {
	case s.UpdateAvailable && s.Running == "":
		status, class = "a new version is ready: reload the page", "status busy"
	case s.Busy != "":
		status, class = s.Busy, "status busy"
	case s.Running != "" && s.Paused:
		status, class = "paused", "status paused"
	case s.Running != "":
		status, class = "training", "status running"
	case s.WorkerReady && s.Restored:
		status, class = "restored your last run", "status ready"
	case s.WorkerReady:
		status, class = "ready", "status ready"
	}
	return app.Header().Class("top").Body(
		app.Div().Class("brand").Body(
			app.Img().Src("/web/icon.svg").Alt("").Class("logo"),
			app.Div().Body(
				app.H1().Text("Tessera"),
				app.P().Class("tagline").Text("Self-supervised learning in your browser: pretrain on unlabeled images, then see what the labels add."),
			),
		),
		app.Span().Class(class).DataSet("testid", "status").Text(status),
	)
}

// renderErrors is the panel of worker errors and the last invalid form value.
func (a *App) renderErrors(s *State) app.UI {
	if len(s.Errors) == 0 && a.formError == "" {
		return app.Div().DataSet("testid", "worker-errors").Hidden(true)
	}
	older, newest := splitNewest(s.Errors, shownErrors)
	return app.Div().Class("errors").DataSet("testid", "worker-errors").Body(
		app.If(a.formError != "", func() app.UI { return app.P().Text(a.formError) }),
		app.If(len(older) > 0 || s.ErrorsDropped > 0, func() app.UI {
			summary := fmt.Sprintf("%d earlier %s", len(older), plural(len(older), "message"))
			if s.ErrorsDropped > 0 {
				summary += fmt.Sprintf(" (and %d older ones not kept)", s.ErrorsDropped)
			}
			return app.Details().DataSet("testid", "earlier-errors").Body(
				app.Summary().Text(summary),
				app.Range(older).Slice(func(i int) app.UI { return app.P().Text(older[i]) }),
			)
		}),
		app.Range(newest).Slice(func(i int) app.UI { return app.P().Text(newest[i]) }),
		app.Button().Class("link").Text("Dismiss").OnClick(func(app.Context, app.Event) {
			s.Errors, s.ErrorsDropped, a.formError = nil, 0, ""
		}),
	)
}
