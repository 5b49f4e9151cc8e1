package trainer

import (
	"testing"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
)

func TestNewKNNMonitor(t *testing.T) {
	imgs := make([]*pretext.Image, 1200)
	for i := range imgs {
		imgs[i] = pretext.NewImage(1, 1)
	}
	for _, tc := range []struct {
		name   string
		labels []int
		images int // measured, 0 for no monitor
	}{
		{"no labels", nil, 0},
		{"one class", []int{2, 2, 2}, 0},
		{"two classes", []int{0, 1, 0}, 3},
		{"many images", make([]int, 1200), 0}, // all class 0
	} {
		d := &imageio.Dataset{Images: imgs[:len(tc.labels)], Labels: tc.labels}
		m := newKNNMonitor(d, 3, 1000)
		if got := 0; m != nil {
			got = len(m.images)
			if got != tc.images {
				t.Errorf("%s: %d images measured, want %d", tc.name, got, tc.images)
			}
		} else if tc.images != 0 {
			t.Errorf("%s: no monitor", tc.name)
		}
	}
	labels := make([]int, 1200)
	for i := range labels {
		labels[i] = i % 3
	}
	m := newKNNMonitor(&imageio.Dataset{Images: imgs, Labels: labels}, 3, 1000)
	if len(m.images) != monitorImages || m.every != 100 {
		t.Errorf("1200 labeled images, 1000 steps: %d measured every %d steps, want %d every 100", len(m.images), m.every, monitorImages)
	}
}
