package trainer

import (
	"fmt"
	"slices"
	"strings"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Images labeled by hand leave the unlabeled list as nil entries, so an
// unlabeled image's index (its Thumb.ID) stays valid. Its pool index
// (Thumb.Pool) counts only the images still unlabeled before it.

// unlabeledCount is the number of images still unlabeled.
func (d *dataset) unlabeledCount() int {
	n := 0
	for _, img := range d.unlabeled {
		if img != nil {
			n++
		}
	}
	return n
}

// unlabeledPage returns up to protocol.UnlabeledPageSize unlabeled images
// from the offset-th.
func (d *dataset) unlabeledPage(offset int) *protocol.UnlabeledPage {
	p := &protocol.UnlabeledPage{Offset: max(0, offset), Total: d.unlabeledCount()}
	if p.Offset >= p.Total {
		p.Offset = max(0, p.Total-protocol.UnlabeledPageSize)
	}
	seen := 0
	for id, img := range d.unlabeled {
		if img == nil {
			continue
		}
		if seen >= p.Offset && len(p.Items) < protocol.UnlabeledPageSize {
			p.Items = append(p.Items, protocol.Thumb{Class: -1, ID: id, Pool: seen, PNG: encodePNG(img)})
		}
		seen++
	}
	return p
}

// labelImages moves unlabeled images into the labeled set under class.
func (s *Session) labelImages(m *protocol.LabelImages) error {
	if s.job != nil {
		return fmt.Errorf("stop training before labeling images")
	}
	class := strings.TrimSpace(m.Class)
	if class == "" || strings.ContainsAny(class, "/\\") {
		return fmt.Errorf("label %q: a class name must be non-empty and hold no slash", m.Class)
	}
	d := &s.data
	existed := slices.Contains(d.classes, class)
	y := d.classIndex(class)
	moved := 0
	for _, id := range m.IDs {
		if id < 0 || id >= len(d.unlabeled) || d.unlabeled[id] == nil {
			continue // already labeled, or never existed: nothing to move
		}
		img := d.unlabeled[id]
		d.unlabeled[id] = nil
		d.labeled.Images = append(d.labeled.Images, img)
		d.labeled.Labels = append(d.labeled.Labels, y)
		d.addThumb(img, y)
		moved++
	}
	if moved == 0 && !existed {
		d.classes = d.classes[:len(d.classes)-1] // the new class got no image
	}
	d.sortClasses()
	msg := d.loaded()
	s.snap.Data = msg
	s.env.Post(msg)
	return nil
}
