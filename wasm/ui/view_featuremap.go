package ui

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// renderFeatureMap is the feature map of the insight step: the button that
// asks for it, the two scatters (Scatter.SVG) with their zoom buttons, and
// the legend of the class colours.
func (a *App) renderFeatureMap(s *State) app.UI {
	in := &s.Insight
	m := in.Map
	return app.Div().Class("feature-map").DataSet("testid", "feature-map").Body(
		app.H3().Text("Feature map"),
		app.P().Class("hint").Text("Every image's pooled trunk features, projected on their first two principal axes (PCA). Images the trunk finds alike land close together; a colour is a class of your labeled images, grey the unlabeled ones. Click a dot to see its neighbours above."),
		app.Div().Class("row").Body(
			app.Button().DataSet("testid", "map-features").Disabled(!s.WorkerReady || in.Mapping).
				Text(map[bool]string{false: "Map the features", true: "Map them again"}[m != nil]).
				OnClick(func(ctx app.Context, e app.Event) { a.send(s.AskFeatureMap()) }),
			app.If(in.Mapping, func() app.UI {
				return app.Span().Class("hint busy").DataSet("testid", "map-busy").Text("mapping the features…")
			}),
		),
		app.If(m != nil, func() app.UI {
			return app.Div().Body(
				app.Div().Class("maps").Body(
					a.mapSide(s, MapBefore, "random init", m.Before, m.ExplainedBefore),
					a.mapSide(s, MapAfter, "after pretraining ("+insightTask(s, m.Task)+")", m.After, m.ExplainedAfter),
				),
				mapLegend(s, m),
			)
		}),
	)
}

// mapSide is one trunk's scatter with its zoom and pan buttons.
func (a *App) mapSide(s *State, side int, title string, pts []protocol.MapPoint, explained [2]float64) app.UI {
	id := "map-" + [2]string{"before", "after"}[side]
	if len(pts) == 0 {
		return app.Div().Class("map-side empty").DataSet("testid", id).Body(
			app.P().Class("hint").Text("No pretrained trunk yet: pretrain in step " + s.StepNumber(SecPretext) + "; the map is drawn again when it ends."),
		)
	}
	view := s.Insight.Views[side]
	sc := Scatter{
		Title:  title,
		XLabel: fmt.Sprintf("PC 1 · %s %% of the variance", fmtPct(explained[0])),
		YLabel: fmt.Sprintf("PC 2 · %s %%", fmtPct(explained[1])),
		Points: pts, View: view, Marked: s.marked(side),
	}
	shown, inView := sc.Visible()
	button := func(label, testid, title string, act ViewAction, disabled bool) app.UI {
		return app.Button().Class("zoom-btn").DataSet("testid", testid).Title(title).Disabled(disabled).Text(label).
			DataSet("side", side).DataSet("action", int(act)).OnClick(a.onViewButton)
	}
	zoomed := view.Zoom() > 1
	return app.Div().Class("map-side").DataSet("testid", id).Body(
		app.Div().Class("zoom").Body(
			button("+", "zoom-in", "zoom in", ZoomIn, view.Zoom() >= MaxZoom),
			button("−", "zoom-out", "zoom out", ZoomOut, !zoomed),
			button("reset", "zoom-reset", "show the whole map", ZoomReset, !zoomed),
			button("←", "pan-left", "move left", PanLeft, !zoomed),
			button("→", "pan-right", "move right", PanRight, !zoomed),
			button("↑", "pan-up", "move up", PanUp, !zoomed),
			button("↓", "pan-down", "move down", PanDown, !zoomed),
			app.Span().Class("hint").DataSet("testid", "zoom-level").Text(fmt.Sprintf("×%g", view.Zoom())),
		),
		app.Div().Class("chart-box map-box").OnClick(a.onMapClick).Body(app.Raw(sc.SVG())),
		app.If(len(shown) < inView, func() app.UI {
			return app.P().Class("hint").DataSet("testid", id+"-sampled").
				Text(fmt.Sprintf("Showing %d of the %d images in view, an even sample; zoom in to see every image of a region.", len(shown), inView))
		}),
	)
}

// onViewButton applies a zoom or pan button to its side of the map, both
// read from the element (data-side, data-action), as onThumb reads its pool.
func (a *App) onViewButton(ctx app.Context, e app.Event) {
	d := ctx.JSSrc().Get("dataset")
	side, err1 := strconv.Atoi(d.Get("side").String())
	act, err2 := strconv.Atoi(d.Get("action").String())
	if err1 == nil && err2 == nil && (side == MapBefore || side == MapAfter) {
		a.state.ViewMap(side, ViewAction(act))
	}
}

// onMapClick asks for the neighbours of the dot clicked (its data-pool).
func (a *App) onMapClick(ctx app.Context, e app.Event) {
	if pool, ok := poolOf(e.Get("target")); ok {
		a.showNeighbours(pool, false)
	}
}

// mapLegend is the class colours of the map: each class, then
// "unlabeled" when some images have none.
func mapLegend(s *State, m *protocol.FeatureMap) app.UI {
	classes := m.Classes
	if len(classes) == 0 {
		classes = s.classes()
	}
	unlabeled := false
	for _, pts := range [][]protocol.MapPoint{m.Before, m.After} {
		for _, p := range pts {
			unlabeled = unlabeled || p.Class < 0
		}
	}
	item := func(k int, name string) app.UI {
		return app.Span().Class("legend-item").DataSet("class", k).Body(
			app.Span().Class("swatch").Style("background", ClassColor(k)),
			app.Text(name),
		)
	}
	return app.Div().Class("legend").DataSet("testid", "map-legend").Body(
		app.Range(classes).Slice(func(i int) app.UI { return item(i, classes[i]) }),
		app.If(unlabeled, func() app.UI { return item(-1, "unlabeled") }),
	)
}
