package imageio

import (
	"fmt"

	"github.com/tessera-ssl/tessera/pretext"
)

// Dataset is a list of decoded images, all of the working size, with their
// class labels when labeled.
//
// Image i is Images[i], it came from the file Names[i], and, in a labeled
// set, it belongs to class Classes[Labels[i]]. An unlabeled pool has nil
// Labels and nil Classes. Images are shared, not copied, by Subset (and so by
// train's Split and KPerClass): treat them as read-only.
type Dataset struct {
	Images  []*pretext.Image
	Labels  []int    // Labels[i] indexes Classes; nil when unlabeled
	Classes []string // class names in label order; nil when unlabeled
	Names   []string // Names[i] is the source of Images[i], slash-separated, relative to the dataset root
}

// Len is the number of images.
func (d *Dataset) Len() int { return len(d.Images) }

// Labeled reports whether the images carry class labels.
func (d *Dataset) Labeled() bool { return d.Labels != nil }

// Subset returns the dataset made of images idx[0], idx[1], … in that order.
// Images and Classes are shared with d. An index out of range panics.
func (d *Dataset) Subset(idx []int) *Dataset {
	s := &Dataset{
		Images:  make([]*pretext.Image, len(idx)),
		Classes: d.Classes,
	}
	if d.Names != nil {
		s.Names = make([]string, len(idx))
	}
	if d.Labels != nil {
		s.Labels = make([]int, len(idx))
	}
	for j, i := range idx {
		if i < 0 || i >= len(d.Images) {
			panic(fmt.Sprintf("imageio: Subset index %d out of range [0, %d)", i, len(d.Images)))
		}
		s.Images[j] = d.Images[i]
		if s.Names != nil {
			s.Names[j] = d.Names[i]
		}
		if s.Labels != nil {
			s.Labels[j] = d.Labels[i]
		}
	}
	return s
}

// NumClasses is len(Classes), or more if some label is beyond it (a dataset
// built with Labels but without Classes); 0 when unlabeled.
func (d *Dataset) NumClasses() int {
	n := len(d.Classes)
	if d.Labels == nil {
		return n
	}
	for _, l := range d.Labels {
		n = max(n, l+1)
	}
	return n
}

// CountPerClass returns how many images each class has, indexed by label
// (NumClasses() entries), or nil for an unlabeled dataset. A negative label
// panics.
func (d *Dataset) CountPerClass() []int {
	if d.Labels == nil {
		return nil
	}
	n := make([]int, d.NumClasses())
	for _, l := range d.Labels {
		n[l]++
	}
	return n
}
