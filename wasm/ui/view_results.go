package ui

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// renderResults is the results step: both classifiers' held-out scores, per class and
// as a confusion matrix, test predictions, and "classify your own image"
// (view_classify.go).
func (a *App) renderResults(s *State) app.UI {
	r := s.Results
	if r == nil {
		return step(s.StepNumber(SecResults), "results", "Results", "Held-out accuracy, per-class scores, the confusion matrix and predictions appear here after step "+s.StepNumber(SecDownstream)+".",
			a.renderClassify(s))
	}
	gain := 100 * (r.AccPretrained - r.AccScratch)
	return step(s.StepNumber(SecResults), "results", "Results", "",
		app.Div().Class("scores").Body(
			app.Div().Class("score pretrained").Body(
				app.Span().Class("big").DataSet("testid", "accuracy-pretrained").Text(fmtPct(r.AccPretrained)),
				app.Span().Class("unit").Text("% held-out accuracy, pretrained ("+modeName(r.Mode)+")"),
			),
			app.Div().Class("score scratch").Body(
				app.Span().Class("big").DataSet("testid", "accuracy-scratch").Text(fmtPct(r.AccScratch)),
				app.Span().Class("unit").Text("% held-out accuracy, from scratch"),
			),
			app.Div().Class("score gain").Body(
				app.Span().Class("big").Text(fmt.Sprintf("%+.1f", gain)),
				app.Span().Class("unit").Text(fmt.Sprintf("points from pretraining (chance: %.1f %%)", 100/float64(max(1, len(r.Classes))))),
			),
		),
		app.P().Class("basis").DataSet("testid", "test-basis").Text(testBasis(r)),
		app.If(gain <= 0, func() app.UI {
			return app.P().Class("hint").Text("Pretraining did not help here yet: short pretext runs rarely do. A larger budget (tens of thousands of samples) or a linear probe shows its effect more clearly.")
		}),
		app.Div().Class("tables").Body(
			app.Div().Body(app.H3().Text("Per-class accuracy"), perClassTable(r)),
			app.Div().Body(app.H3().Text("Confusion matrix (pretrained)"), confusionTable(r)),
		),
		app.H3().Text("Test predictions"),
		app.Div().Class("predictions").DataSet("testid", "predictions").Body(
			app.Range(s.Predictions).Slice(func(i int) app.UI {
				p := s.Predictions[i]
				class := "pred right"
				if !p.Right {
					class = "pred wrong"
				}
				return app.Figure().Class(class).Body(
					app.Img().Src(p.URL).Alt(className(r.Classes, p.Class)),
					app.FigCaption().Body(
						app.Div().Class("truth").Text("true: "+className(r.Classes, p.Class)),
						app.Div().Text(p.Caption),
					),
				)
			}),
		),
		a.renderClassify(s),
	)
}

// modeName is how the results card names the pretrained arm's mode.
func modeName(m string) string {
	switch m {
	case protocol.ModeProbe:
		return "linear probe"
	case protocol.ModeSemi:
		return "semi-supervised"
	}
	return "fine-tuned"
}

func perClassTable(r *protocol.Results) app.UI {
	return app.Table().Class("perclass").DataSet("testid", "per-class").Body(
		app.Tr().Body(app.Th().Text("class"), app.Th().Text("pretrained"), app.Th().Text("scratch"), app.Th().Text("test images")),
		app.Range(r.Classes).Slice(func(i int) app.UI {
			cell := func(v []float64) app.UI {
				if i >= len(v) || (r.TestPerClass != nil && r.TestPerClass[i] == 0) {
					return app.Td().Title("no test image of this class").Text("–")
				}
				return app.Td().Body(
					app.Div().Class("hbar").Style("width", fmt.Sprintf("%.0f%%", 100*v[i])),
					app.Span().Text(fmtPct(v[i])),
				)
			}
			return app.Tr().Body(app.Th().Body(userName(r.Classes[i])), cell(r.PerClassPretrained), cell(r.PerClassScratch),
				app.Td().Class("count").Text(testCount(r, i)))
		}),
	)
}

func confusionTable(r *protocol.Results) app.UI {
	peak := 1
	for _, row := range r.Confusion {
		for _, v := range row {
			peak = max(peak, v)
		}
	}
	return app.Table().Class("confusion").DataSet("testid", "confusion").Body(
		app.Tr().Body(
			app.Th().Class("corner").Text("true \\ predicted"),
			app.Range(r.Classes).Slice(func(j int) app.UI {
				return app.Th().Class("col").Title(className(r.Classes, j)).Text(abbrev(className(r.Classes, j)))
			}),
		),
		app.Range(r.Confusion).Slice(func(i int) app.UI {
			row := r.Confusion[i]
			return app.Tr().Body(
				app.Th().Text(className(r.Classes, i)),
				app.Range(row).Slice(func(j int) app.UI {
					alpha := float64(row[j]) / float64(peak)
					color := "47, 158, 68" // diagonal: right
					if i != j {
						color = "224, 49, 49"
					}
					return app.Td().Style("background", fmt.Sprintf("rgba(%s, %.2f)", color, 0.08+0.8*alpha)).
						Title(fmt.Sprintf("true %s, predicted %s: %d", className(r.Classes, i), className(r.Classes, j), row[j])).
						Text(strconv.Itoa(row[j]))
				}),
			)
		}),
	)
}

// testCount is class i's held-out images, as the per-class table shows it.
func testCount(r *protocol.Results, i int) string {
	if i >= len(r.TestPerClass) {
		return "?"
	}
	return strconv.Itoa(r.TestPerClass[i])
}

// testBasis says how many held-out images the figures rest on, and which
// classes none measures.
func testBasis(r *protocol.Results) string {
	n, missing := 0, 0
	for _, k := range r.TestPerClass {
		n += k
		if k == 0 {
			missing++
		}
	}
	text := fmt.Sprintf("These figures rest on %d held-out %s", n, plural(n, "image"))
	if n < 100 {
		text += fmt.Sprintf(" (one image is %.1f points)", 100/float64(max(1, n)))
	}
	if missing > 0 {
		text += fmt.Sprintf("; %d %s no test image and no accuracy (–)", missing, map[bool]string{true: "class has", false: "classes have"}[missing == 1])
	}
	return text + "."
}

func abbrev(s string) string {
	if r := []rune(s); len(r) > 5 {
		return string(r[:4]) + "."
	}
	return s
}
