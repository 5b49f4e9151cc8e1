package train

import (
	"fmt"

	"github.com/tessera-ssl/tessera/pretext"
)

// Dataset is a list of decoded images, all of the working size, with their
// class labels when labeled.
//
// Image i is Images[i], it came from the file Names[i], and, in a labeled
// set, it belongs to class Classes[Labels[i]]. An unlabeled pool has nil
// Labels and nil Classes. Images are shared, not copied, by Subset, Split and
// KPerClass: treat them as read-only.
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
			panic(fmt.Sprintf("train: Subset index %d out of range [0, %d)", i, len(d.Images)))
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

// className is Classes[c], or "class c" when Classes does not name it.
func (d *Dataset) className(c int) string {
	if c < len(d.Classes) {
		return d.Classes[c]
	}
	return fmt.Sprintf("class %d", c)
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

// byClass returns the indices of each class's images in ascending order,
// indexed by label; an unlabeled dataset is one group holding every index.
func (d *Dataset) byClass() [][]int {
	if d.Labels == nil {
		all := make([]int, d.Len())
		for i := range all {
			all[i] = i
		}
		return [][]int{all}
	}
	g := make([][]int, d.NumClasses())
	for i, l := range d.Labels {
		g[l] = append(g[l], i)
	}
	return g
}

// FileError reports one input file that could not be used, and why.
// Loaders collect them and go on with the other files; DecodeImage returns
// its failures as a FileError value too.
type FileError struct {
	Path string // the file as the user named it: an OS path, or a path within an uploaded folder
	Err  error  // what is wrong with it
}

// Error is "path: reason".
func (e FileError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the reason.
func (e FileError) Unwrap() error { return e.Err }
