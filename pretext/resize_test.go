package pretext

import (
	"fmt"
	"image"
	"math"
	"testing"
)

func TestResize(t *testing.T) {
	flat := NewImage(13, 9)
	flat.Fill(10, 200, 77)
	for _, sz := range [][2]int{{5, 4}, {26, 18}, {40, 3}, {13, 9}} {
		r := Resize(flat, sz[0], sz[1])
		for i := 0; i < len(r.Pix); i += 3 {
			if r.Pix[i] != 10 || r.Pix[i+1] != 200 || r.Pix[i+2] != 77 {
				t.Fatalf("resize to %v changes a flat image: %v", sz, r.Pix[i:i+3])
			}
		}
	}
	// Area downsampling by 2 is the rounded mean of each 2×2 block.
	img := noiseImage(8, 6, 3)
	r := Resize(img, 4, 3)
	for y := 0; y < 3; y++ {
		for x := 0; x < 4; x++ {
			for c := 0; c < 3; c++ {
				s := 0
				for _, d := range [][2]int{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
					s += int(img.Pix[3*((2*y+d[1])*8+2*x+d[0])+c])
				}
				want := uint8(math.Floor(float64(s)/4 + 0.5))
				if got := r.Pix[3*(y*4+x)+c]; got != want {
					t.Fatalf("area pixel (%d,%d,%d) = %d, want %d", x, y, c, got, want)
				}
			}
		}
	}
	// Bilinear upsampling by 2 keeps the mean (up to rounding).
	up := Resize(img, 16, 12)
	if d := math.Abs(meanPix(up) - meanPix(img)); d > 1.5 {
		t.Errorf("bilinear upsampling moves the mean by %.2f", d)
	}
}

func meanPix(img *Image) float64 {
	s := 0.0
	for _, v := range img.Pix {
		s += float64(v)
	}
	return s / float64(len(img.Pix))
}

// areaReference computes the area average by brute force: on a fine grid
// where each source pixel is dw×dh cells and each output pixel sw×sh cells,
// an output pixel is the plain mean of its cells, rounded half up.
func areaReference(src []uint8, sw, sh, dw, dh int) []uint8 {
	out := make([]uint8, 3*dw*dh)
	for Y := range dh {
		for X := range dw {
			var sum [3]int
			for cy := Y * sh; cy < (Y+1)*sh; cy++ {
				for cx := X * sw; cx < (X+1)*sw; cx++ {
					sx, sy := cx/dw, cy/dh
					for c := range 3 {
						sum[c] += int(src[3*(sy*sw+sx)+c])
					}
				}
			}
			n := sw * sh
			for c := range 3 {
				out[3*(Y*dw+X)+c] = uint8((2*sum[c] + n) / (2 * n))
			}
		}
	}
	return out
}

func TestResampleAreaMatchesReference(t *testing.T) {
	sizes := [][4]int{{6, 6, 4, 4}, {7, 5, 3, 2}, {10, 10, 10, 10}, {13, 9, 5, 4}, {100, 3, 7, 1}, {9, 9, 1, 1}, {17, 23, 16, 5}}
	for _, s := range sizes {
		sw, sh, dw, dh := s[0], s[1], s[2], s[3]
		t.Run(fmt.Sprintf("%dx%d_to_%dx%d", sw, sh, dw, dh), func(t *testing.T) {
			// The source sits at an offset inside a larger white image, to
			// check that the rectangle's bounds are honored.
			src := noiseImage(sw, sh, uint64(sw*100+dh))
			m := NewImage(sw+5, sh+7)
			m.Fill(255, 255, 255)
			m.Paste(src, 2, 4)
			got := Resample(m.ReadRow, image.Rect(2, 4, 2+sw, 4+sh), dw, dh)
			want := areaReference(src.Pix, sw, sh, dw, dh)
			if got.Width != dw || got.Height != dh {
				t.Fatalf("size %d×%d, want %d×%d", got.Width, got.Height, dw, dh)
			}
			for i := range want {
				if got.Pix[i] != want[i] {
					t.Fatalf("byte %d (pixel %d, channel %d) = %d, want %d", i, i/3, i%3, got.Pix[i], want[i])
				}
			}
		})
	}
}

// grayImage is a w×h image whose pixel (x, y) is the gray v(x, y).
func grayImage(w, h int, v func(x, y int) uint8) *Image {
	m := NewImage(w, h)
	for y := range h {
		for x := range w {
			g := v(x, y)
			copy(m.Pix[3*(y*w+x):], []uint8{g, g, g})
		}
	}
	return m
}

// Known patterns, means worked out by hand.
func TestResampleKnownMeans(t *testing.T) {
	tests := []struct {
		name   string
		m      *Image
		dw, dh int
		want   []uint8 // one gray value per output pixel
	}{
		// Each 2×2 block holds two 0s and two 255s: mean 127.5, rounded up.
		{"checkerboard", grayImage(4, 4, func(x, y int) uint8 { return uint8(255 * ((x + y) % 2)) }), 2, 2, []uint8{128, 128, 128, 128}},
		// Columns 0,30,…,150 into 4: output j covers [1.5j, 1.5j+1.5):
		// (0+15)/1.5=10, (15+60)/1.5=50, (90+60)/1.5=100, (60+150)/1.5=140.
		{"columns 6→4", grayImage(6, 2, func(x, y int) uint8 { return uint8(30 * x) }), 4, 1, []uint8{10, 50, 100, 140}},
		// Rows 0 and 90 then 200: 3→2 gives (0+45)/1.5=30 and (45+200)/1.5=163.3.
		{"rows 3→2", grayImage(5, 3, func(x, y int) uint8 { return []uint8{0, 90, 200}[y] }), 1, 2, []uint8{30, 163}},
		{"to one pixel", grayImage(3, 3, func(x, y int) uint8 { return uint8(x + 3*y) }), 1, 1, []uint8{4}},
		// Centers of 4 outputs map to source x = −0.25 (clamped), 0.25, 0.75,
		// 1.25 (clamped); rows are copied.
		{"bilinear 2→4", grayImage(2, 1, func(x, y int) uint8 { return uint8(200 * x) }), 4, 2, []uint8{0, 50, 150, 200, 0, 50, 150, 200}},
		// Columns shrink 4→2 (means 5 and 25), rows grow 1→2 (copied).
		{"area × bilinear", grayImage(4, 1, func(x, y int) uint8 { return uint8(10 * x) }), 2, 2, []uint8{5, 25, 5, 25}},
		// Rows 0, 100 grow to 3: source y = −⅙ (clamped), ½, 7/6 (clamped);
		// columns 0, 20 shrink to one, 10.
		{"bilinear × area", grayImage(2, 2, func(x, y int) uint8 { return uint8(100*y + 20*x) }), 1, 3, []uint8{10, 60, 110}},
	}
	for _, tc := range tests {
		got := Resample(tc.m.ReadRow, image.Rect(0, 0, tc.m.Width, tc.m.Height), tc.dw, tc.dh)
		for i, w := range tc.want {
			if p := [3]uint8(got.Pix[3*i : 3*i+3]); p != [3]uint8{w, w, w} {
				t.Errorf("%s: pixel %d = %v, want gray %d", tc.name, i, p, w)
			}
		}
	}
}

// axisWeights is one axis's filter as a dense dst×src matrix, from the
// textbook definitions in float64: the overlap of the output interval with
// each source pixel over its length, or the tent around the clamped
// source coordinate.
func axisWeights(src, dst int) [][]float64 {
	W := make([][]float64, dst)
	s := float64(src) / float64(dst)
	for o := range W {
		W[o] = make([]float64, src)
		if dst <= src {
			lo, hi := float64(o)*s, float64(o+1)*s
			for i := range src {
				W[o][i] = max(0, min(hi, float64(i+1))-max(lo, float64(i))) / s
			}
			continue
		}
		c := min(max((float64(o)+0.5)*s-0.5, 0), float64(src-1))
		for i := range src {
			W[o][i] = max(0, 1-math.Abs(c-float64(i)))
		}
	}
	return W
}

// Every combination of shrinking, keeping and growing each axis agrees with
// the separable float64 reference: exactly, except where the reference is
// within 1e-9 of a half, where either neighbor is right.
func TestResampleMatchesSeparableReference(t *testing.T) {
	for _, s := range [][4]int{
		{9, 7, 4, 3}, {5, 3, 13, 8}, {3, 2, 32, 32}, {8, 5, 3, 11}, {4, 12, 9, 5},
		{7, 7, 7, 20}, {20, 6, 20, 2}, {1, 1, 5, 3}, {6, 1, 4, 9},
	} {
		sw, sh, dw, dh := s[0], s[1], s[2], s[3]
		t.Run(fmt.Sprintf("%dx%d_to_%dx%d", sw, sh, dw, dh), func(t *testing.T) {
			src := noiseImage(sw, sh, uint64(sw+10*dh))
			got := Resize(src, dw, dh)
			wx, wy := axisWeights(sw, dw), axisWeights(sh, dh)
			for Y := range dh {
				for X := range dw {
					for c := range 3 {
						v := 0.0
						for y := range sh {
							for x := range sw {
								v += wy[Y][y] * wx[X][x] * float64(src.Pix[3*(y*sw+x)+c])
							}
						}
						g := float64(got.Pix[3*(Y*dw+X)+c])
						if frac := v - math.Floor(v); math.Abs(frac-0.5) < 1e-9 {
							if g != math.Floor(v) && g != math.Ceil(v) {
								t.Fatalf("(%d,%d,%d) = %v, want %v rounded", X, Y, c, g, v)
							}
						} else if g != math.Floor(v+0.5) {
							t.Fatalf("(%d,%d,%d) = %v, want round(%v)", X, Y, c, g, v)
						}
					}
				}
			}
		})
	}
}

func TestShorterSide(t *testing.T) {
	for _, tc := range []struct{ w, h, short, dw, dh int }{
		{40, 30, 20, 27, 20},   // 40·20/30 = 26.67
		{30, 40, 20, 20, 27},   // transposed
		{3, 2, 2, 3, 2},        // 3·2/2 = 3
		{5, 2, 3, 8, 3},        // 5·3/2 = 7.5, halves up
		{2, 5, 3, 3, 8},        // transposed
		{10, 10, 7, 7, 7},      // square
		{1000, 1, 1, 1000, 1},  // a line
		{1, 3000, 1, 1, 3000},  // a column
		{100, 99, 1, 1, 1},     // 100/99 rounds to 1
		{2000, 1, 5, 10000, 5}, // enlarging
	} {
		if dw, dh := ShorterSide(tc.w, tc.h, tc.short); dw != tc.dw || dh != tc.dh {
			t.Errorf("ShorterSide(%d, %d, %d) = %d×%d, want %d×%d", tc.w, tc.h, tc.short, dw, dh, tc.dw, tc.dh)
		}
	}
	if m := ResizeShorter(noiseImage(40, 30, 1), 20); m.Width != 27 || m.Height != 20 {
		t.Errorf("ResizeShorter(40×30, 20) is %d×%d, want 27×20", m.Width, m.Height)
	}
}
