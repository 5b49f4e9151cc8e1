package ui

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Colours of the two downstream runs, used in charts and tables alike.
const (
	colorPretrained = "#2f9e44"
	colorScratch    = "#868e96"
)

// modeLabels are the mode selector's words for protocol.Modes.
var modeLabels = map[string]string{
	protocol.ModeSemi:     "Semi-supervised: fine-tune + pseudo-labels on the unlabeled images",
	protocol.ModeFinetune: "Fine-tune all layers",
	protocol.ModeProbe:    "Linear probe (frozen trunk)",
}

// renderDownstream is the downstream step: train a classifier on the labels, on the
// pretrained trunk and from scratch, and watch both.
func (a *App) renderDownstream(s *State) app.UI {
	running := s.Running == "downstream"
	st := s.Settings
	pre, started := s.History.Last(protocol.PhasePretrained)
	scr, _ := s.History.Last(protocol.PhaseScratch)
	var series []Series
	for _, r := range []struct {
		phase, name, color string
	}{{protocol.PhasePretrained, "pretrained", colorPretrained}, {protocol.PhaseScratch, "scratch", colorScratch}} {
		pts := s.History.Points(r.phase)
		tx, ty := curve(pts, func(p protocol.Point) float64 { return 100 * p.TestAccuracy })
		rx, ry := curve(pts, func(p protocol.Point) float64 { return 100 * p.Accuracy })
		series = append(series,
			Series{Name: r.name + ", held-out", Color: r.color, X: tx, Y: ty},
			Series{Name: r.name + ", training batches", Color: r.color, Dashed: true, X: rx, Y: ry})
	}
	return step(s.StepNumber(SecDownstream), "downstream", "Downstream: use the labels",
		"A fresh classifier head is trained on the labeled images on top of the pretrained trunk, and the same network is trained from scratch on the same labels, for comparison.",
		app.Div().Class("form").Body(
			app.Label().Class("field").Body(
				app.Span().Text("Mode"),
				app.Select().DataSet("testid", "mode").Disabled(running).OnChange(a.setting("mode")).Body(
					app.Range(protocol.Modes).Slice(func(i int) app.UI {
						m := protocol.Modes[i]
						return app.Option().Value(m).Selected(st.Mode == m).Text(modeLabels[m])
					}),
				),
			),
			field("Epochs", "epochs", st.Epochs, running, a.setting("epochs")),
			field("Learning rate", "fine-lr", st.FineLR, running, a.setting("fine-lr")),
			field("Batch size", "fine-batch", st.FineBatch, running, a.setting("fine-batch")),
		),
		app.Div().Class("row").Body(
			app.Button().Class("primary").DataSet("testid", "finetune-start").Text("Train both classifiers").
				Disabled(!s.CanFinetune()).
				OnClick(func(ctx app.Context, e app.Event) { a.send(s.StartFinetune(1)) }),
			pauseButton(a, s, running, "finetune-pause"),
			stopButton(a, running, "finetune-stop"),
			app.If(!s.CanFinetune() && s.Running == "", func() app.UI {
				return app.Span().Class("hint").Text("Needs a pretrained trunk and labeled images of at least two classes.")
			}),
		),
		app.If(started, func() app.UI {
			return app.Div().Class("live two").Body(
				runMeters("Pretrained trunk", pre, "pretrained"),
				runMeters("From scratch", scr, "scratch"),
			)
		}),
		app.Div().Class("chart-box wide").DataSet("testid", "finetune-chart").Body(app.Raw(Chart{
			Title: "Accuracy while training", XLabel: "step", YLabel: "%", YMin: 0, YMax: 100, Series: series,
			Width: 960, Height: 260,
		}.SVG())),
	)
}

func runMeters(title string, p protocol.Progress, id string) app.UI {
	return app.Div().Class("run").Body(
		app.H3().Text(title),
		progressBar(p, id+"-progress"),
		app.Div().Class("meters").Body(
			meter("step", fmt.Sprintf("%d / %d", p.Step, p.Steps), id+"-step"),
			meter("loss", fmtLoss(p.Loss), id+"-loss"),
			meter("train acc. (%)", fmtPct(p.Accuracy), id+"-train-accuracy"),
			meter("samples/s", fmtRate(p.SamplesPerSec), id+"-throughput"),
			meter("time left", fmtETA(p.ETASeconds), id+"-eta"),
			meter("workers", strconv.Itoa(max(1, p.Workers)), id+"-workers"),
			app.If(p.PseudoLabeled > 0, func() app.UI {
				return meter("pseudo-labelled (%)", fmtPct(p.PseudoLabeled), id+"-pseudo")
			}),
		),
	)
}
