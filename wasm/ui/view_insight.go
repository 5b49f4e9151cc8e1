package ui

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// renderInsight is "What the network learned", shown once images are
// loaded: the nearest neighbours of an image the user clicks, and the
// feature map (view_featuremap.go), each for the random-init trunk and the
// pretrained one. The pretraining step shows the live filters.
func (a *App) renderInsight(s *State) app.UI {
	if !s.Shown(SecInsight) {
		return app.Div().ID("insight").Hidden(true)
	}
	return step(s.StepNumber(SecInsight), "insight", "What the network learned",
		"Before a single label: which images the trunk finds alike, at its random initialisation and after pretraining. Nothing here trains; the classes only colour what the features did on their own.",
		a.renderNeighbours(s),
		a.renderFeatureMap(s),
	)
}

// renderNeighbours is the panel of the query image and its nearest
// images, a row per trunk.
func (a *App) renderNeighbours(s *State) app.UI {
	in := &s.Insight
	n := in.Neighbours
	return app.Div().Class("neighbours").ID("neighbours").TabIndex(-1).DataSet("testid", "neighbours").Body(
		app.H3().Text("Nearest neighbours"),
		app.If(in.Asking, func() app.UI {
			return app.P().Class("hint busy").DataSet("testid", "neighbours-busy").Text("finding the nearest images…")
		}),
		app.If(n == nil && !in.Asking, func() app.UI {
			return app.P().Class("hint").DataSet("testid", "neighbours-hint").
				Text("Click any image on this page — a thumbnail of the data, an image to label, a neighbour here, a dot on the map — to see the " +
					strconv.Itoa(protocol.NeighbourCount) + " images nearest to it in the trunk's feature space (cosine similarity).")
		}),
		app.If(n != nil, func() app.UI {
			q := in.Query
			after := "No pretrained trunk yet: pretrain in step " + s.StepNumber(SecPretext) + "; these neighbours are found again when it ends."
			return app.Div().Body(app.Div().Class("neighbour-grid").Body(
				app.Figure().Class("query").DataSet("testid", "neighbour-query").DataSet("class", q.Class).DataSet("pool", q.Pool).
					Style("border-color", ClassColor(q.Class)).Body(
					app.Img().Src(q.URL).Alt("query: "+q.Caption),
					app.FigCaption().Body(app.Strong().Text("query"), app.Text(" · "+q.Caption)),
				),
				app.Div().Class("neighbour-rows").Body(
					a.neighbourRow(s, "random init", "before", in.Before, "The random-init trunk found none."),
					a.neighbourRow(s, "after pretraining ("+insightTask(s, n.Task)+")", "after", in.After, after),
				),
			), renderAgreement(n))
		}),
	)
}

// renderAgreement is the labeled set's class agreement under each trunk
// (protocol.Neighbours.Agreement*), as plain percentages in
// agreement-before and agreement-after; nothing without labeled images.
func renderAgreement(n *protocol.Neighbours) app.UI {
	if n.AgreementBefore < 0 {
		return app.Text("")
	}
	pct := func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) }
	return app.P().Class("agreement").DataSet("testid", "agreement").Body(
		app.Text("Across all your labeled images, of each one's "+strconv.Itoa(protocol.NeighbourCount)+" nearest labeled images "),
		app.Strong().DataSet("testid", "agreement-before").Text(pct(n.AgreementBefore)),
		app.Text(" % share its class with the random-init trunk"),
		app.If(n.AgreementAfter >= 0, func() app.UI {
			return app.Span().Body(
				app.Text(", "),
				app.Strong().DataSet("testid", "agreement-after").Text(pct(n.AgreementAfter)),
				app.Text(" % after pretraining"),
			)
		}),
		app.Text(" (chance: about one in the number of classes)."),
	)
}

// neighbourRow is one trunk's neighbours, best first, each with its
// similarity and class; side is "before" or "after".
func (a *App) neighbourRow(s *State, title, side string, pics []Picture, empty string) app.UI {
	same, labeled := s.Insight.SameClass(pics)
	return app.Div().Class("neighbour-row").DataSet("testid", "neighbours-"+side).Body(
		app.Div().Class("row-title").Body(
			app.Strong().Text(title),
			app.If(labeled && len(pics) > 0, func() app.UI {
				return app.Span().Class("same").Body(
					app.Span().DataSet("testid", "same-class-"+side).Text(strconv.Itoa(same)),
					app.Text(" of "+strconv.Itoa(len(pics))+" of the query's class"),
				)
			}),
		),
		app.If(len(pics) == 0, func() app.UI { return app.P().Class("hint").Text(empty) }),
		app.Div().Class("neighbour-thumbs").Body(
			app.Range(pics).Slice(func(i int) app.UI {
				p := pics[i]
				return app.Button().Class("neighbour").DataSet("testid", "neighbour-"+side).
					DataSet("class", p.Class).DataSet("pool", p.Pool).
					Style("border-color", ClassColor(p.Class)).Title("show the neighbours of this image").
					OnClick(a.onThumb).Body(
					app.Img().Src(p.URL).Alt(p.Caption),
					app.Span().Class("caption").Text(p.Caption),
				)
			}),
		),
	)
}

// insightTask names the pretext task of the pretrained trunk.
func insightTask(s *State, task string) string {
	if task == "" && s.Model != nil {
		task = s.Model.Task
	}
	if task == "" {
		task = s.Settings.Task
	}
	return task
}

// onThumb is every thumbnail's click handler: it asks for the neighbours
// of the image in the element's data-pool and brings the panel into view.
// It reads the pool from the element, not a closure: go-app keeps the
// first handler mounted at a position, so a captured index would go stale.
func (a *App) onThumb(ctx app.Context, e app.Event) {
	if pool, ok := poolOf(ctx.JSSrc()); ok {
		a.showNeighbours(pool, true)
	}
}

// showNeighbours sends ShowNeighbours for pool and, with scroll, scrolls
// the neighbours panel into view and focuses it.
func (a *App) showNeighbours(pool int, scroll bool) {
	a.send(a.state.AskNeighbours(pool))
	if !scroll {
		return
	}
	if p := app.Window().GetElementByID("neighbours"); p.Truthy() {
		p.Call("scrollIntoView", map[string]any{"behavior": "smooth", "block": "start"})
		p.Call("focus", map[string]any{"preventScroll": true})
	}
}

// poolOf reads an element's data-pool.
func poolOf(el app.Value) (int, bool) {
	if !el.Truthy() {
		return 0, false
	}
	d := el.Get("dataset")
	if !d.Truthy() {
		return 0, false
	}
	v := d.Get("pool")
	if v.Type() != app.TypeString {
		return 0, false
	}
	n, err := strconv.Atoi(v.String())
	return n, err == nil
}
