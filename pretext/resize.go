package pretext

import (
	"fmt"
	"math"
)

// Resize returns img resampled to w×h. Each axis is resampled on its own:
// an axis that shrinks (or keeps its size) uses the area filter — output
// pixel o averages the source interval [o·s, (o+1)·s), s = src/dst, each
// source pixel weighted by its overlap — so downsampling never aliases;
// an axis that grows uses bilinear interpolation with pixel centres at
// half-integers (source coordinate (o+½)·s − ½, clamped at the borders).
// Results are rounded to the nearest 8-bit value and are bit-identical on
// every platform.
func Resize(img *Image, w, h int) *Image {
	if w <= 0 || h <= 0 {
		panic(fmt.Sprintf("pretext: Resize to %d×%d: size must be positive", w, h))
	}
	dst := NewImage(w, h)
	ResizeInto(dst, img)
	return dst
}

// ResizeInto resamples src to dst's size (see Resize) and writes dst.
func ResizeInto(dst, src *Image) {
	if dst.Width == src.Width && dst.Height == src.Height {
		copy(dst.Pix, src.Pix)
		return
	}
	hx := axisTaps(src.Width, dst.Width)
	hy := axisTaps(src.Height, dst.Height)
	sw, dw, dh := src.Width, dst.Width, dst.Height
	// Horizontal pass: src.Height × dw × 3 float32.
	tmp := make([]float32, src.Height*dw*3)
	for y := 0; y < src.Height; y++ {
		row := src.Pix[3*y*sw : 3*(y+1)*sw]
		out := tmp[3*y*dw : 3*(y+1)*dw]
		for o := 0; o < dw; o++ {
			var r, g, b float32
			for t := hx.off[o]; t < hx.off[o+1]; t++ {
				i, wt := 3*hx.idx[t], hx.w[t]
				r += wt * float32(row[i])
				g += wt * float32(row[i+1])
				b += wt * float32(row[i+2])
			}
			out[3*o], out[3*o+1], out[3*o+2] = r, g, b
		}
	}
	// Vertical pass into dst.
	for o := 0; o < dh; o++ {
		out := dst.Pix[3*o*dw : 3*(o+1)*dw]
		for i := range out {
			var v float32
			for t := hy.off[o]; t < hy.off[o+1]; t++ {
				v += hy.w[t] * tmp[3*hy.idx[t]*dw+i]
			}
			out[i] = clampU8(v)
		}
	}
}

// clampU8 rounds v to the nearest integer in [0, 255].
func clampU8(v float32) uint8 {
	if v <= 0 {
		return 0
	}
	if v >= 255 {
		return 255
	}
	return uint8(v + 0.5)
}

// taps lists, for each output index o, the source indices idx[off[o]:off[o+1]]
// and their weights (which sum to 1).
type taps struct {
	off []int
	idx []int
	w   []float32
}

// axisTaps builds the resampling taps for one axis of length src → dst:
// area filter when dst <= src, bilinear when dst > src.
func axisTaps(src, dst int) taps {
	t := taps{off: make([]int, dst+1)}
	s := float64(src) / float64(dst)
	for o := 0; o < dst; o++ {
		if dst <= src {
			lo, hi := float64(o)*s, float64(o+1)*s
			for i := int(math.Floor(lo)); i < src && float64(i) < hi; i++ {
				ov := math.Min(hi, float64(i+1)) - math.Max(lo, float64(i))
				if ov > 1e-9 {
					t.idx = append(t.idx, i)
					t.w = append(t.w, float32(ov/s))
				}
			}
		} else {
			c := (float64(o)+0.5)*s - 0.5
			i0 := int(math.Floor(c))
			f := c - float64(i0)
			a, b := min(max(i0, 0), src-1), min(max(i0+1, 0), src-1)
			t.idx = append(t.idx, a, b)
			t.w = append(t.w, float32(1-f), float32(f))
		}
		t.off[o+1] = len(t.idx)
	}
	return t
}

// ResizeShorter returns img scaled (keeping its aspect ratio) so that its
// shorter side is size; the longer side is rounded to the nearest pixel.
func ResizeShorter(img *Image, size int) *Image {
	w, h := img.Width, img.Height
	if w <= h {
		return Resize(img, size, max(1, int(math.Round(float64(h)*float64(size)/float64(w)))))
	}
	return Resize(img, max(1, int(math.Round(float64(w)*float64(size)/float64(h)))), size)
}
