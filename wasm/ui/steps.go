package ui

import "strconv"

// The page's steps, in order, by section: the insight step comes after
// pretraining, whose trunk it shows, and before the labels are used.
var steps = []int{SecData, SecPretext, SecInsight, SecDownstream, SecResults, SecKeep}

// Shown tells whether a step is on the page: "What the network learned"
// waits for images to show.
func (s *State) Shown(sec int) bool {
	return sec != SecInsight || s.ImageCount() > 0
}

// StepNumber is a step's number on the page, counting only the steps
// shown, so the numbers never skip ("" for a step not shown).
func (s *State) StepNumber(sec int) string {
	n := 0
	for _, st := range steps {
		if s.Shown(st) {
			n++
		}
		if st == sec {
			if !s.Shown(st) {
				return ""
			}
			return strconv.Itoa(n)
		}
	}
	return ""
}
