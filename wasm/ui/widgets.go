package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// The widgets the steps share: the step frame, form fields, live meters
// and progress bars, the pause and stop buttons, and the series of a chart
// taken from a phase's history.

// shownErrors is how many messages a list of errors shows before the rest
// fold away behind a toggle.
const shownErrors = 5

// splitNewest splits a list, oldest first, into the ones to fold away and
// the newest n.
func splitNewest[T any](all []T, n int) (older, newest []T) {
	cut := max(0, len(all)-n)
	return all[:cut], all[cut:]
}

// userName shows a name the user gave (a file, a class) safely: invisible
// and direction-changing characters escaped (protocol.VisibleName), and
// isolated in a <bdi> so that a right-to-left name cannot reorder the text
// around it.
func userName(name string) app.UI { return app.Bdi().Text(protocol.VisibleName(name)) }

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// step renders one numbered step of the flow.
func step(n, id, title, intro string, body ...app.UI) app.UI {
	return app.Section().Class("step").ID(id).Body(
		app.H2().Body(app.Span().Class("num").Text(n), app.Text(title)),
		app.If(intro != "", func() app.UI { return app.P().Class("intro").Text(intro) }),
		app.Div().Class("step-body").Body(body...),
	)
}

// curve extracts one series from a phase's history.
func curve(points []protocol.Point, y func(protocol.Point) float64) (xs, ys []float64) {
	for _, p := range points {
		if v := y(p); v >= 0 && p.Step > 0 { // step 0 is before any training
			xs = append(xs, float64(p.Step))
			ys = append(ys, v)
		}
	}
	return
}

// progressBar shows how far a run is, coloured by its state.
func progressBar(p protocol.Progress, testid string) app.UI {
	frac := 0.0
	if p.Steps > 0 {
		frac = float64(p.Step) / float64(p.Steps)
	}
	return app.Div().Class("bar").DataSet("testid", testid).Title(fmt.Sprintf("step %d of %d", p.Step, p.Steps)).Body(
		app.Div().Class("fill "+p.State).Style("width", fmt.Sprintf("%.1f%%", 100*frac)),
	)
}

// field is a labeled number input.
func field(label, testid string, value any, disabled bool, h app.EventHandler) app.UI {
	return app.Label().Class("field").Body(
		app.Span().Text(label),
		app.Input().Type("number").Attr("step", "any").Value(value).Disabled(disabled).
			DataSet("testid", testid).OnChange(h),
	)
}

// meter is a labeled live value; the testid element holds only the number.
func meter(label, value, testid string) app.UI {
	return app.Div().Class("meter").Body(
		app.Span().Class("value").DataSet("testid", testid).Text(value),
		app.Span().Class("label").Text(label),
	)
}

// pauseButton pauses or resumes the running job; the same button serves
// pretraining and downstream training.
func pauseButton(a *App, s *State, running bool, testid string) app.UI {
	return app.Button().DataSet("testid", testid).Disabled(!running).
		Text(map[bool]string{true: "Resume", false: "Pause"}[s.Paused]).
		OnClick(func(ctx app.Context, e app.Event) {
			if s.Paused {
				a.send(&protocol.Resume{})
			} else {
				a.send(&protocol.Pause{})
			}
		})
}

// stopButton stops the running job.
func stopButton(a *App, running bool, testid string) app.UI {
	return app.Button().DataSet("testid", testid).Text("Stop").Disabled(!running).
		OnClick(func(ctx app.Context, e app.Event) { a.send(&protocol.Stop{}) })
}
