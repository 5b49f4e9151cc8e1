package ui

import (
	"fmt"
	"testing"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

func TestLabelSelection(t *testing.T) {
	s := NewState()
	if _, err := s.LabelSelected(); err == nil {
		t.Error("labeling nothing is allowed")
	}
	s.Apply(&protocol.UnlabeledPage{Offset: 24, Total: 30, Items: []protocol.Thumb{{ID: 30, Class: -1, PNG: []byte{1}}, {ID: 31, Class: -1, PNG: []byte{2}}, {ID: 35, Class: -1, PNG: []byte{3}}}})
	s.ToggleSelected(35)
	s.ToggleSelected(30)
	s.ToggleSelected(31)
	s.ToggleSelected(31)
	if _, err := s.LabelSelected(); err == nil {
		t.Error("labeling without a class name is allowed")
	}
	s.LabelClass = "  bird "
	m, err := s.LabelSelected()
	if err != nil || m.Class != "bird" || fmt.Sprint(m.IDs) != "[30 35]" || m.Offset != 24 {
		t.Fatalf("LabelSelected = %+v, %v", m, err)
	}
	// A new page keeps only the selected images it still shows.
	s.Apply(&protocol.UnlabeledPage{Items: []protocol.Thumb{{ID: 35, PNG: []byte{3}}, {ID: 36, PNG: []byte{4}}}})
	if len(s.Selected) != 1 || !s.Selected[35] {
		t.Errorf("selection after a new page: %v", s.Selected)
	}
}
