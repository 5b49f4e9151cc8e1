package ui

import (
	"fmt"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// confirmation is a question the page asks, in the step where the user
// clicked, before it replaces the user's data or model: nothing is lost
// without a second, deliberate click.
type confirmation struct {
	sec      int    // the step it is shown in (SecData, SecKeep)
	question string // what would be lost
	yes      string // the button that goes ahead
	do       func()
}

// ask runs do at once when question is "" (nothing would be lost), else
// shows the question in step sec and runs do only if the user says yes.
func (a *App) ask(sec int, question, yes string, do func()) {
	if question == "" {
		do()
		return
	}
	a.confirm = &confirmation{sec: sec, question: question, yes: yes, do: do}
	a.state.Touch(sec)
}

// renderConfirm is the pending question of step sec, if any.
func (a *App) renderConfirm(sec int) app.UI {
	c := a.confirm
	if c == nil || c.sec != sec {
		return nil
	}
	answer := func(yes bool) app.EventHandler {
		return func(app.Context, app.Event) {
			a.confirm = nil
			a.state.Touch(sec)
			if yes {
				c.do()
			}
		}
	}
	return app.Div().Class("confirm").DataSet("testid", "confirm").Body(
		app.P().DataSet("testid", "confirm-text").Text(c.question),
		app.Button().Class("danger").DataSet("testid", "confirm-yes").Text(c.yes).OnClick(answer(true)),
		app.Button().DataSet("testid", "confirm-no").Text("Cancel").OnClick(answer(false)),
	)
}

// What each replacing action would lose, "" if nothing. They read the
// state the page shows, which is the trainer's.

// demoLoses is what "Try the demo" replaces: the user's own images.
func (s *State) demoLoses() string {
	if s.Data == nil || s.Data.Source != "upload" || s.ImageCount() == 0 {
		return ""
	}
	return fmt.Sprintf("The demo replaces your %s (%s). Load it anyway?", countOf(s.ImageCount(), "image"), countOf(len(s.Data.Classes), "class"))
}

// forgetLoses is what "Forget this run" deletes: the model, the results
// and the saved copy (the loaded images stay).
func (s *State) forgetLoses() string {
	var parts []string
	if s.Model != nil && (s.Model.Pretrained || s.Model.Classifier) {
		parts = append(parts, "the trained model")
	}
	if s.Results != nil {
		parts = append(parts, "the results")
	}
	if len(parts) == 0 && s.SavedBytes == 0 && !s.Restored {
		return ""
	}
	parts = append(parts, "the copy saved in this browser")
	return "This forgets " + joinAnd(parts) + " (the loaded images stay). It cannot be undone."
}

// uploadLoses is what installing the model file name replaces.
func (s *State) uploadLoses(name string) string {
	if s.Model == nil || !(s.Model.Pretrained || s.Model.Classifier) {
		return ""
	}
	what := "pretrained network"
	if s.Model.Classifier {
		what = "fine-tuned classifier"
	}
	return fmt.Sprintf("%s replaces the current %s and its results (download it first to keep it). Replace it?", name, what)
}

func countOf(n int, word string) string {
	if word == "class" && n != 1 {
		return fmt.Sprintf("%d classes", n)
	}
	return fmt.Sprintf("%d %s", n, plural(n, word))
}

func joinAnd(parts []string) string {
	switch len(parts) {
	case 1:
		return parts[0]
	case 2:
		return parts[0] + " and " + parts[1]
	}
	out := ""
	for i, p := range parts {
		switch {
		case i == len(parts)-1:
			out += ", and " + p
		case i > 0:
			out += ", " + p
		default:
			out = p
		}
	}
	return out
}
