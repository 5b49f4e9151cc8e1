package imageio

import (
	"slices"
	"testing"

	"github.com/tessera-ssl/tessera/pretext"
)

// fourImages is a labeled dataset of 1×1 images named "0" … "3", labels 0, 1, 0, 1.
func fourImages() *Dataset {
	d := &Dataset{Labels: []int{0, 1, 0, 1}, Classes: []string{"a", "b"}}
	for i := range 4 {
		d.Images = append(d.Images, pretext.NewImage(1, 1))
		d.Names = append(d.Names, string(rune('0'+i)))
	}
	return d
}

func TestDatasetSubset(t *testing.T) {
	d := fourImages()
	s := d.Subset([]int{3, 0, 3})
	if !slices.Equal(s.Names, []string{"3", "0", "3"}) || !slices.Equal(s.Labels, []int{1, 0, 1}) || s.Images[1] != d.Images[0] {
		t.Errorf("Subset: names %v labels %v", s.Names, s.Labels)
	}
	if u := (&Dataset{Images: d.Images}).Subset([]int{1}); u.Labels != nil || u.CountPerClass() != nil {
		t.Error("subset of an unlabeled set has labels")
	}
	defer func() {
		if recover() == nil {
			t.Error("out-of-range index did not panic")
		}
	}()
	d.Subset([]int{4})
}

// Labels without Classes (a set built by hand) still count.
func TestDatasetCounts(t *testing.T) {
	for _, tc := range []struct {
		name    string
		d       *Dataset
		classes int
		counts  []int
	}{
		{"named", fourImages(), 2, []int{2, 2}},
		{"unnamed", &Dataset{Labels: []int{2, 0, 2}}, 3, []int{1, 0, 2}},
		{"more names than labels use", &Dataset{Labels: []int{0}, Classes: []string{"a", "b"}}, 2, []int{1, 0}},
		{"unlabeled", &Dataset{Images: fourImages().Images}, 0, nil},
	} {
		if n := tc.d.NumClasses(); n != tc.classes {
			t.Errorf("%s: NumClasses = %d, want %d", tc.name, n, tc.classes)
		}
		if got := tc.d.CountPerClass(); !slices.Equal(got, tc.counts) {
			t.Errorf("%s: CountPerClass = %v, want %v", tc.name, got, tc.counts)
		}
	}
}
