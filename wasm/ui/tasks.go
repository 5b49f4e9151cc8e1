package ui

import "github.com/tessera-ssl/tessera/pretext"

// Tasks lists the pretext tasks, select value and label, from pretext's
// registry, the default first: the task select of the pretext step
// (view_pretext.go) shows them and SetSetting accepts only their values.
var Tasks = taskOptions()

func taskOptions() [][2]string {
	var out [][2]string
	for _, s := range pretext.All() {
		out = append(out, [2]string{s.Name, s.Label})
	}
	return out
}
