package ui

import (
	"fmt"
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// renderLabeler is "label images yourself": pages of unlabeled thumbnails
// to select and name, as an alternative to uploading a class folder.
func (a *App) renderLabeler(s *State) app.UI {
	d := s.Data
	if d == nil || d.Unlabeled == 0 {
		return app.Div().DataSet("testid", "label-panel").Hidden(true)
	}
	p := s.LabelPage
	return app.Details().Class("label-panel").DataSet("testid", "label-panel").Body(
		app.Summary().Text("Label images yourself"),
		app.P().Class("hint").Text("Select unlabeled images, name their class, and they join the labeled set."),
		app.Div().Class("row").Body(
			app.Button().DataSet("testid", "label-show").Disabled(s.Running != "").
				Text(map[bool]string{true: "Refresh", false: "Show unlabeled images"}[p != nil]).
				OnClick(func(ctx app.Context, e app.Event) { a.send(&protocol.ShowUnlabeled{Offset: pageOffset(p, 0)}) }),
			app.If(p != nil, func() app.UI {
				return app.Span().Class("hint").Text(fmt.Sprintf("%d–%d of %d", p.Offset+min(1, len(p.Items)), p.Offset+len(p.Items), p.Total))
			}),
			app.If(p != nil && p.Offset > 0, func() app.UI {
				return app.Button().Class("link").Text("‹ previous").OnClick(func(ctx app.Context, e app.Event) {
					a.send(&protocol.ShowUnlabeled{Offset: pageOffset(p, -1)})
				})
			}),
			app.If(p != nil && p.Offset+len(p.Items) < p.Total, func() app.UI {
				return app.Button().Class("link").Text("next ›").OnClick(func(ctx app.Context, e app.Event) {
					a.send(&protocol.ShowUnlabeled{Offset: pageOffset(p, 1)})
				})
			}),
		),
		app.If(len(s.LabelPics) > 0, func() app.UI {
			return app.Div().Class("label-grid").Body(
				app.Range(s.LabelPics).Slice(func(i int) app.UI {
					pic := s.LabelPics[i]
					class := "label-thumb"
					if s.Selected[pic.ID] {
						class += " selected"
					}
					// The handler reads the id from the element: go-app keeps the
					// first closure mounted at a position (it compares handlers
					// by code pointer), so a captured id would go stale.
					// Its magnifier (data-action="neighbours") asks for the image's
					// neighbours instead: one handler, which looks at the target.
					return app.Button().Class(class).DataSet("testid", "label-thumb").DataSet("id", pic.ID).
						DataSet("pool", pic.Pool).Title("select or unselect").
						OnClick(func(ctx app.Context, e app.Event) {
							if t := e.Get("target"); t.Truthy() && t.Get("dataset").Get("action").String() == "neighbours" {
								a.onThumb(ctx, e)
								return
							}
							if id, err := strconv.Atoi(ctx.JSSrc().Get("dataset").Get("id").String()); err == nil {
								s.ToggleSelected(id)
							}
						}).
						Body(
							app.Img().Src(pic.URL).Alt("unlabeled image "+strconv.Itoa(pic.ID)),
							app.Span().Class("find").DataSet("action", "neighbours").DataSet("testid", "label-neighbours").
								Title("show its nearest neighbours").Text("🔍"),
						)
				}),
			)
		}),
		app.If(len(s.LabelPics) > 0, func() app.UI {
			return app.Div().Class("row").Body(
				app.Input().Type("text").Placeholder("class name").List("known-classes").Value(s.LabelClass).
					DataSet("testid", "label-class").
					OnChange(func(ctx app.Context, e app.Event) {
						s.LabelClass = ctx.JSSrc().Get("value").String()
						s.Touch(SecData)
					}),
				app.DataList().ID("known-classes").Body(
					app.Range(d.Classes).Slice(func(i int) app.UI { return app.Option().Value(d.Classes[i]).Label(protocol.VisibleName(d.Classes[i])) }),
				),
				app.Button().Class("primary").DataSet("testid", "label-apply").Disabled(len(s.Selected) == 0 || s.Running != "").
					Text(fmt.Sprintf("Label %d selected", len(s.Selected))).
					OnClick(func(ctx app.Context, e app.Event) {
						m, err := s.LabelSelected()
						if err != nil {
							a.formError = err.Error()
							return
						}
						a.formError = ""
						a.send(m)
					}),
			)
		}),
	)
}
