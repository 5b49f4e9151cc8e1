package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// renderPretext is the pretraining step: the pretext task and its budget,
// pretraining with its live meters and charts (the pretext loss, and its
// accuracy beside the label-free kNN monitor), the first-layer filters
// and the live examples.
func (a *App) renderPretext(s *State) app.UI {
	p, started := s.History.Last(protocol.PhasePretrain)
	running := s.Running == "pretrain"
	pts := s.History.Points(protocol.PhasePretrain)
	lx, ly := curve(pts, func(p protocol.Point) float64 { return p.Loss })
	ax, ay := curve(pts, func(p protocol.Point) float64 { return 100 * p.Accuracy })
	kx, ky := curve(pts, func(p protocol.Point) float64 { return 100 * p.KNN }) // KNN -1: none
	knn, knnKnown := s.KNNMonitor()
	st := s.Settings
	return step(s.StepNumber(SecPretext), "pretext", "Pretext task",
		"The network learns from the images alone by solving a puzzle whose answer the image itself provides.",
		app.Div().Class("form").Body(
			app.Label().Class("field wide").Body(
				app.Span().Text("Task"),
				app.Select().DataSet("testid", "task").Disabled(running).OnChange(a.setting("task")).Body(
					app.Range(Tasks).Slice(func(i int) app.UI {
						return app.Option().Value(Tasks[i][0]).Selected(st.Task == Tasks[i][0]).Text(Tasks[i][1])
					}),
				),
			),
			app.Label().Class("field").Body(
				app.Span().Text("Budget"),
				app.Div().Class("unit").Body(
					app.Input().Type("number").Attr("step", "any").Value(budgetValue(st)).Disabled(running).
						DataSet("testid", "budget").OnChange(a.setting("budget")),
					app.Select().DataSet("testid", "budget-unit").Disabled(running).OnChange(a.setting("budget-unit")).Body(
						app.Option().Value(UnitMinutes).Selected(st.Unit == UnitMinutes).Text("minutes"),
						app.Option().Value(UnitSamples).Selected(st.Unit == UnitSamples).Text("samples"),
					),
				),
			),
			field("Learning rate", "lr", st.LR, running, a.setting("lr")),
			field("Batch size", "batch", st.Batch, running, a.setting("batch")),
			field("Workers", "workers", st.Workers, running || !s.Isolated, a.setting("workers")),
		),
		app.If(!s.Isolated, func() app.UI {
			return app.P().Class("hint").DataSet("testid", "workers-hint").
				Text("This page is not cross-origin isolated, so its workers cannot share memory: pretraining uses one worker.")
		}),
		app.Div().Class("row").Body(
			app.Button().Class("primary").DataSet("testid", "pretrain-start").Text("Start pretraining").
				Disabled(!s.CanPretrain()).
				OnClick(func(ctx app.Context, e app.Event) { a.send(s.StartPretrain(1)) }),
			pauseButton(a, s, running, "pretrain-pause"),
			stopButton(a, running, "pretrain-stop"),
		),
		app.If(started, func() app.UI {
			return app.Div().Class("live").Body(
				progressBar(p, "pretrain-progress"),
				app.Div().Class("meters").Body(
					meter("step", fmt.Sprintf("%d / %d", p.Step, p.Steps), "pretrain-step"),
					meter("loss", fmtLoss(p.Loss), "pretext-loss"),
					meter("accuracy (%)", fmtPct(p.Accuracy), "pretext-accuracy"),
					meter("samples/s", fmtRate(p.SamplesPerSec), "throughput"),
					meter(workersLabel(p.Workers), fmt.Sprint(max(1, p.Workers)), "pretrain-workers"),
					meter("time left", fmtETA(p.ETASeconds), "eta"),
					app.If(knnKnown, func() app.UI { return meter("kNN accuracy (%)", fmtPct(knn), "knn-accuracy") }),
				),
				app.If(knnKnown, func() app.UI {
					return app.P().Class("hint").DataSet("testid", "knn-explain").
						Text("kNN accuracy of your labeled images in the trunk's feature space — no labels used in training: each labeled image takes the majority class of its nearest labeled neighbours. If it climbs, the pretext task is teaching something useful for your classes.")
				}),
			)
		}),
		app.Div().Class("charts").Body(
			app.Div().Class("chart-box").DataSet("testid", "loss-chart").Body(app.Raw(Chart{
				Title: "Pretext loss", XLabel: "step", YLabel: "loss",
				Series: []Series{{Name: "loss", Color: "#d9480f", X: lx, Y: ly}},
			}.SVG())),
			app.Div().Class("chart-box").DataSet("testid", "accuracy-chart").Body(app.Raw(Chart{
				Title: "Pretext accuracy, kNN monitor", XLabel: "step", YLabel: "%", YMin: 0, YMax: 100,
				Series: []Series{
					{Name: "pretext", Color: "#1971c2", X: ax, Y: ay},
					{Name: "kNN, labeled", Color: colorKNN, X: kx, Y: ky},
				},
			}.SVG())),
		),
		app.H3().Text("First-layer filters: what the first convolution looks for"),
		renderFilters(s),
		app.H3().Text("Live examples: the task as the network sees it, and its answers"),
		app.Div().Class("examples").DataSet("testid", "examples").Body(
			app.If(len(s.Examples) == 0, func() app.UI {
				return app.P().Class("hint").Text("Examples of the task, with the model's answers, appear here while it trains.")
			}),
			app.Range(s.Examples).Slice(func(i int) app.UI {
				e := s.Examples[i]
				mark, class := "✗", "example wrong"
				if e.Right {
					mark, class = "✓", "example right"
				}
				return app.Figure().Class(class).Body(
					app.Img().Src(e.URL).Alt(e.Caption),
					app.FigCaption().Body(app.Span().Class("mark").Text(mark), app.Text(" "+e.Caption)),
				)
			}),
		),
	)
}

// workersLabel names the workers meter so that it reads "1 worker", "2 workers".
func workersLabel(n int) string {
	if n > 1 {
		return "workers"
	}
	return "worker"
}

// budgetValue is the budget field's number in its unit.
func budgetValue(st Settings) any {
	if st.Unit == UnitSamples {
		return st.Samples
	}
	return st.Minutes
}

// colorKNN is the kNN monitor's curve.
const colorKNN = "#2f9e44"

// renderFilters is the latest first-layer filters of the running (or
// last) pretraining, enlarged with crisp pixels.
func renderFilters(s *State) app.UI {
	f := s.Insight.Filters
	return app.Figure().Class("filters").DataSet("testid", "filters").Body(
		app.If(f == nil, func() app.UI {
			return app.P().Class("hint").Text("The first convolution's filters appear here, live, while the network pretrains.")
		}),
		app.If(f != nil, func() app.UI {
			return app.Img().Src(s.Insight.FiltersURL).Style("width", fmt.Sprintf("%dpx", filtersWidth(f))).
				Alt(fmt.Sprintf("%d first-layer filters of %d×%d pixels", f.Count, f.Size, f.Size))
		}),
		app.If(f != nil, func() app.UI {
			return app.FigCaption().Text(fmt.Sprintf("first-layer filters at step %d", f.Step))
		}),
	)
}

// filtersWidth is the on-screen width of the filters picture: each filter
// about 40 pixels wide, a whole number of screen pixels per weight, the
// whole at most 640 pixels.
func filtersWidth(f *protocol.Filters) int {
	size, cols := max(1, f.Size), max(1, f.Columns)
	scale := max(2, (40+size-1)/size)
	for scale > 1 && cols*size*scale > 640 {
		scale--
	}
	return cols * size * scale
}
