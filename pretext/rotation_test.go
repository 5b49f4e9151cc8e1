package pretext

import (
	"bytes"
	"testing"
)

// TestRotationLabels: turning each sample back by its label's angle recovers
// the source image exactly.
func TestRotationLabels(t *testing.T) {
	for _, size := range []int{16, 32, 33} {
		r := NewRotation(size)
		img := noiseImage(size, size, uint64(size))
		x, y := sampleBuffers(r)
		r.Make(img, newRNG(1), x, y)
		per := 3 * size * size
		for k := 0; k < 4; k++ {
			got := FromCHW(x[k*per:(k+1)*per], size, size)
			if !bytes.Equal(got.Rotate90(-y[k]).Pix, img.Pix) {
				t.Errorf("size %d sample %d (label %d, %d°): rotating back does not give the source", size, k, y[k], RotationAngle(y[k]))
			}
		}
		if out := r.Render(x[:per], y[:1], []int{y[3]}); out.Width != 2*size+4 {
			t.Errorf("Render with prediction has width %d", out.Width)
		}
	}
}
