package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// renderClassify is "classify your own image", in the results step: an
// image the user picks, and the classifier's top 3 for it.
func (a *App) renderClassify(s *State) app.UI {
	ok := s.Model != nil && s.Model.Classifier
	return app.Div().Class("classify").Body(
		app.H3().Text("Classify your own image"),
		app.Label().Class("drop small").Body(
			app.Small().Text(map[bool]string{true: "Pick an image; the fine-tuned model names its top 3 classes.", false: "Available once a classifier is trained (or uploaded)."}[ok]),
			app.Input().Type("file").Accept("image/*").Disabled(!ok).DataSet("testid", "classify-upload").
				OnChange(a.files(SplitClassify)),
		),
		app.If(s.Classified != nil, func() app.UI {
			c := s.Classified
			var classes []string
			if s.Model != nil {
				classes = s.Model.Classes
			}
			return app.Div().Class("classified").DataSet("testid", "classified").Body(
				app.Img().Src(s.ClassifiedPic).Alt(c.Name),
				app.Div().Body(
					app.Code().Text(c.Name),
					app.Ol().Body(app.Range(c.Top).Slice(func(i int) app.UI {
						g := c.Top[i]
						return app.Li().Text(fmt.Sprintf("%s — %.1f %%", className(classes, g.Class), 100*g.P))
					})),
				),
			)
		}),
	)
}
