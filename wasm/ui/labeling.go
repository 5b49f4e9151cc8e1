package ui

import (
	"fmt"
	"strings"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Labeling by hand (view_labeling.go): the worker sends pages of unlabeled
// images; the user selects some, names their class, and LabelSelected is
// the message that moves them into the labeled set.

func (s *State) applyLabelPage(p *protocol.UnlabeledPage) {
	s.LabelPage = p
	s.LabelPics = nil
	keep := map[int]bool{}
	for _, it := range p.Items {
		s.LabelPics = append(s.LabelPics, Picture{URL: dataURL(it.PNG), ID: it.ID, Class: -1, Pool: it.Pool})
		if s.Selected[it.ID] {
			keep[it.ID] = true
		}
	}
	s.Selected = keep
}

// ToggleSelected selects or unselects an unlabeled image for labeling.
func (s *State) ToggleSelected(id int) {
	if s.Selected == nil {
		s.Selected = map[int]bool{}
	}
	if s.Selected[id] {
		delete(s.Selected, id)
	} else {
		s.Selected[id] = true
	}
	s.Touch(SecData)
}

// LabelSelected is the message that labels the selection, or why it cannot.
func (s *State) LabelSelected() (*protocol.LabelImages, error) {
	class := strings.TrimSpace(s.LabelClass)
	switch {
	case len(s.Selected) == 0:
		return nil, fmt.Errorf("select some images first")
	case class == "":
		return nil, fmt.Errorf("name the class of the selected images")
	}
	m := &protocol.LabelImages{Class: class}
	if s.LabelPage != nil {
		m.Offset = s.LabelPage.Offset
	}
	for _, p := range s.LabelPics { // page order, so the message is deterministic
		if s.Selected[p.ID] {
			m.IDs = append(m.IDs, p.ID)
		}
	}
	return m, nil
}

// pageOffset is the offset of the page dir pages away from p (0: p itself).
func pageOffset(p *protocol.UnlabeledPage, dir int) int {
	if p == nil {
		return 0
	}
	return max(0, p.Offset+dir*protocol.UnlabeledPageSize)
}
