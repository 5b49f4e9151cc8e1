package pretext

import (
	"fmt"
	"image"
)

// RowReader writes the 8-bit RGB colors of the pixels (x0, y) … (x1−1, y)
// of a picture into dst[:3·(x1−x0)]. Resample reads its source through one,
// so an Image (Resize) and a decoder's image.Image in any color model
// (imageio) share one resampler.
type RowReader func(y, x0, x1 int, dst []uint8)

// ReadRow is img's RowReader: a copy out of Pix.
func (img *Image) ReadRow(y, x0, x1 int, dst []uint8) {
	copy(dst[:3*(x1-x0)], img.Pix[3*(y*img.Width+x0):3*(y*img.Width+x1)])
}

// Resize returns img resampled to w×h (see Resample). The size must be
// positive.
func Resize(img *Image, w, h int) *Image {
	if w <= 0 || h <= 0 {
		panic(fmt.Sprintf("pretext: Resize to %d×%d: size must be positive", w, h))
	}
	dst := NewImage(w, h)
	ResizeInto(dst, img)
	return dst
}

// ResizeInto resamples src to dst's size (see Resample) and writes dst.
func ResizeInto(dst, src *Image) {
	resampleInto(dst, src.ReadRow, image.Rect(0, 0, src.Width, src.Height))
}

// ResizeShorter returns img scaled, keeping its aspect ratio, so that its
// shorter side is size (see ShorterSide).
func ResizeShorter(img *Image, size int) *Image {
	w, h := ShorterSide(img.Width, img.Height, size)
	return Resize(img, w, h)
}

// ShorterSide is the size of a w×h picture scaled so that its shorter side
// is short: the longer side is round(long·short/shorter side), halves up,
// and at least 1.
func ShorterSide(w, h, short int) (dw, dh int) {
	scaled := func(long, side int) int { // round(long·short/side) in integers
		return max(1, int((2*int64(long)*int64(short)+int64(side))/(2*int64(side))))
	}
	if w <= h {
		return short, scaled(h, w)
	}
	return scaled(w, h), short
}

// Resample returns the rectangle r of a picture, read through read, resampled
// to w×h. Each axis is resampled on its own, with s = source length / output
// length along it:
//
//   - an axis that shrinks or keeps its length uses the area filter: output
//     pixel o is the mean of the source over [o·s, (o+1)·s), each source pixel
//     weighted by the length it overlaps, so downsampling never aliases;
//   - an axis that grows is interpolated linearly with pixel centers aligned:
//     output pixel o samples the source at c = (o+½)·s − ½, weights 1−(c−⌊c⌋)
//     and c−⌊c⌋ on pixels ⌊c⌋ and ⌊c⌋+1, clamped to the edge pixels.
//
// Output (X, Y) = Σ wx(X, x)·wy(Y, y)·src(x, y), rounded to nearest (halves
// up). Both filters' weights are exact fractions — an area axis's are
// overlaps/source length, a bilinear axis's have denominator 2·output length —
// so the sums are computed in integers: the result is exact and bit-identical
// on every platform. The rows of r are read once each, top to bottom, and
// only one source row and the output's sums are held: a large decoded photo
// is never converted to RGB whole. The sizes must be positive.
func Resample(read RowReader, r image.Rectangle, w, h int) *Image {
	if w <= 0 || h <= 0 || r.Empty() {
		panic(fmt.Sprintf("pretext: Resample %v to %d×%d: sizes must be positive", r, w, h))
	}
	dst := NewImage(w, h)
	resampleInto(dst, read, r)
	return dst
}

// resampleInto is Resample writing dst, whose size is the output size.
func resampleInto(dst *Image, read RowReader, r image.Rectangle) {
	sw, sh, dw, dh := r.Dx(), r.Dy(), dst.Width, dst.Height
	if sw == dw && sh == dh { // each output pixel is its one source pixel
		for y := range sh {
			read(r.Min.Y+y, r.Min.X, r.Max.X, dst.Pix[3*dw*y:])
		}
		return
	}
	xt, yt := axisTaps(sw, dw), axisTaps(sh, dh)
	row := make([]uint8, 3*sw)
	hrow := make([]int64, 3*dw)   // source row sy filtered along x
	acc := make([]int64, 3*dw*dh) // Σ over source rows of wy·hrow
	yo := 0                       // outputs rows before yo have all their source rows
	for sy := range sh {
		read(r.Min.Y+sy, r.Min.X, r.Max.X, row)
		for X := range dw {
			var s0, s1, s2 int64
			p := row[3*xt.first[X]:]
			for k, w := range xt.w[xt.off[X]:xt.off[X+1]] {
				s0 += w * int64(p[3*k])
				s1 += w * int64(p[3*k+1])
				s2 += w * int64(p[3*k+2])
			}
			hrow[3*X], hrow[3*X+1], hrow[3*X+2] = s0, s1, s2
		}
		// Output rows read consecutive source rows, and both their first and
		// their last source rows grow with Y.
		for Y := yo; Y < dh && yt.first[Y] <= sy; Y++ {
			k := yt.off[Y] + sy - yt.first[Y]
			if k >= yt.off[Y+1] {
				yo = Y + 1
				continue
			}
			w := yt.w[k]
			a := acc[3*dw*Y : 3*dw*(Y+1)]
			for i, v := range hrow {
				a[i] += w * v
			}
		}
	}
	// Output = ⌊(v + ⌊total/2⌋)/total⌋, by a float reciprocal (a division
	// per byte would cost more than the filtering) and an exact correction:
	// the float quotient is within one of the true one.
	total := xt.den * yt.den // the weights of one output pixel sum to total
	inv, half := 1/float64(total), total/2
	for i, v := range acc {
		a := v + half
		q := int64(float64(a) * inv)
		if q*total > a {
			q--
		} else if (q+1)*total <= a {
			q++
		}
		dst.Pix[i] = uint8(q)
	}
}

// taps are one axis's filter, src → dst: output o weighs the source pixels
// first[o], first[o]+1, … by w[off[o]:off[o+1]]; each output's weights sum
// to den.
type taps struct {
	first, off []int
	w          []int64
	den        int64
}

// axisTaps builds the taps of one axis: the area filter when dst ≤ src,
// bilinear when dst > src (see Resample).
func axisTaps(src, dst int) taps {
	t := taps{first: make([]int, dst), off: make([]int, dst+1), w: make([]int64, 0, src+dst)}
	if dst <= src {
		// In units where a source pixel has length dst and an output pixel
		// length src, output o covers [o·src, (o+1)·src) and overlaps source
		// pixel i by |[o·src, (o+1)·src) ∩ [i·dst, (i+1)·dst)|.
		t.den = int64(src)
		for o := range dst {
			lo, hi := o*src, (o+1)*src
			i := lo / dst
			t.first[o] = i
			for ; i*dst < hi; i++ {
				t.w = append(t.w, int64(min(hi, (i+1)*dst)-max(lo, i*dst)))
			}
			t.off[o+1] = len(t.w)
		}
		return t
	}
	// c = (o+½)·src/dst − ½ = num/den with num = (2o+1)·src − dst, den = 2·dst.
	den := 2 * dst
	t.den = int64(den)
	for o := range dst {
		num := (2*o+1)*src - dst
		switch i, f := num/den, num%den; {
		case num <= 0: // left of the first pixel center
			t.first[o] = 0
			t.w = append(t.w, t.den)
		case i >= src-1: // right of the last pixel center
			t.first[o] = src - 1
			t.w = append(t.w, t.den)
		case f == 0: // on a pixel center
			t.first[o] = i
			t.w = append(t.w, t.den)
		default:
			t.first[o] = i
			t.w = append(t.w, int64(den-f), int64(f))
		}
		t.off[o+1] = len(t.w)
	}
	return t
}
