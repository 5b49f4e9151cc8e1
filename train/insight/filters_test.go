package insight

import "testing"

func TestFilters(t *testing.T) {
	// Filter 0: one strong positive weight in red at (0,0), a negative
	// half-weight in blue at (1,1); filter 1: all zero.
	const k = 2
	w := make([]float32, 2*3*k*k)
	w[(0*k+0)*k+0] = 2  // o=0, c=0, y=0, x=0
	w[(2*k+1)*k+1] = -1 // o=0, c=2, y=1, x=1
	imgs := Filters(w, 2, 3, k)
	if len(imgs) != 2 || imgs[0].Width != k || imgs[0].Height != k {
		t.Fatalf("got %d images of %dx%d", len(imgs), imgs[0].Width, imgs[0].Height)
	}
	px := func(i, x, y, c int) uint8 { return imgs[i].Pix[3*(y*k+x)+c] }
	for _, tc := range []struct {
		i, x, y, c int
		want       uint8
	}{
		{0, 0, 0, 0, 255}, // the peak is full intensity
		{0, 1, 1, 2, 65},  // 128 − 127/2 = 64.5, rounded half away from zero
		{0, 1, 0, 1, 128}, // zero is grey
		{1, 0, 0, 0, 128}, // an all-zero filter is grey
		{1, 1, 1, 2, 128},
	} {
		if got := px(tc.i, tc.x, tc.y, tc.c); got != tc.want {
			t.Errorf("filter %d pixel (%d,%d) channel %d = %d, want %d", tc.i, tc.x, tc.y, tc.c, got, tc.want)
		}
	}
}
