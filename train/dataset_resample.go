package train

import (
	"image"
	"image/color"

	"github.com/tessera-ssl/tessera/pretext"
)

// rowFunc writes the 8-bit RGB colors of pixels (x0..x1-1, y) into
// dst[:3*(x1-x0)].
type rowFunc func(y, x0, x1 int, dst []uint8)

// rgbRows returns a rowFunc for m. Every color model becomes RGB; alpha is
// composited over white: out = c·a + 255·(1−a) for a straight color c, or
// out = c + 255 − a for a premultiplied one. The common decoder outputs
// (YCbCr, Gray, Paletted, CMYK, RGBA, NRGBA, NYCbCrA) are read directly;
// anything else goes through color.Color, 16 bits truncated to 8.
func rgbRows(m image.Image) rowFunc {
	switch m := m.(type) {
	case *image.YCbCr:
		if f := ycbcrRows(m); f != nil {
			return f
		}
		return func(y, x0, x1 int, dst []uint8) {
			for x := x0; x < x1; x++ {
				yi, ci := m.YOffset(x, y), m.COffset(x, y)
				d := dst[3*(x-x0):]
				d[0], d[1], d[2] = color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
			}
		}
	case *image.NYCbCrA:
		return func(y, x0, x1 int, dst []uint8) {
			for x := x0; x < x1; x++ {
				yi, ci, ai := m.YOffset(x, y), m.COffset(x, y), m.AOffset(x, y)
				r, g, b := color.YCbCrToRGB(m.Y[yi], m.Cb[ci], m.Cr[ci])
				a := uint32(m.A[ai])
				d := dst[3*(x-x0):]
				d[0], d[1], d[2] = overWhite(r, a), overWhite(g, a), overWhite(b, a)
			}
		}
	case *image.Gray:
		return func(y, x0, x1 int, dst []uint8) {
			row := m.Pix[m.PixOffset(x0, y):]
			for i := range x1 - x0 {
				v := row[i]
				dst[3*i], dst[3*i+1], dst[3*i+2] = v, v, v
			}
		}
	case *image.Paletted:
		// Each palette entry composited once; out-of-range indices (which the
		// decoders reject) would read as white.
		var lut [256][3]uint8
		for i := range lut {
			lut[i] = [3]uint8{255, 255, 255}
			if i < len(m.Palette) {
				lut[i] = rgbOverWhite(m.Palette[i])
			}
		}
		return func(y, x0, x1 int, dst []uint8) {
			row := m.Pix[m.PixOffset(x0, y):]
			for i := range x1 - x0 {
				c := lut[row[i]]
				dst[3*i], dst[3*i+1], dst[3*i+2] = c[0], c[1], c[2]
			}
		}
	case *image.CMYK:
		return func(y, x0, x1 int, dst []uint8) {
			row := m.Pix[m.PixOffset(x0, y):]
			for i := range x1 - x0 {
				p := row[4*i : 4*i+4]
				dst[3*i], dst[3*i+1], dst[3*i+2] = color.CMYKToRGB(p[0], p[1], p[2], p[3])
			}
		}
	case *image.RGBA:
		return func(y, x0, x1 int, dst []uint8) {
			row := m.Pix[m.PixOffset(x0, y):]
			for i := range x1 - x0 {
				p := row[4*i : 4*i+4]
				t := 255 - p[3] // premultiplied: c ≤ a, so c + 255 − a ≤ 255
				dst[3*i], dst[3*i+1], dst[3*i+2] = p[0]+t, p[1]+t, p[2]+t
			}
		}
	case *image.NRGBA:
		return func(y, x0, x1 int, dst []uint8) {
			row := m.Pix[m.PixOffset(x0, y):]
			for i := range x1 - x0 {
				p := row[4*i : 4*i+4]
				a := uint32(p[3])
				dst[3*i], dst[3*i+1], dst[3*i+2] = overWhite(p[0], a), overWhite(p[1], a), overWhite(p[2], a)
			}
		}
	}
	return func(y, x0, x1 int, dst []uint8) {
		for x := x0; x < x1; x++ {
			c := rgbOverWhite(m.At(x, y))
			copy(dst[3*(x-x0):], c[:])
		}
	}
}

// ycbcrRows is the fast path for the YCbCr images JPEG and lossy WebP decode
// to (origin not negative): chroma indices by shifts, conversion inlined. It
// computes exactly color.YCbCrToRGB. Returns nil for other layouts.
func ycbcrRows(m *image.YCbCr) rowFunc {
	var hs, vs uint // chroma subsampling shifts
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
	case image.YCbCrSubsampleRatio422:
		hs = 1
	case image.YCbCrSubsampleRatio420:
		hs, vs = 1, 1
	case image.YCbCrSubsampleRatio440:
		vs = 1
	case image.YCbCrSubsampleRatio411:
		hs = 2
	case image.YCbCrSubsampleRatio410:
		hs, vs = 2, 1
	default:
		return nil
	}
	r0 := m.Rect.Min
	if r0.X < 0 || r0.Y < 0 {
		return nil
	}
	return func(y, x0, x1 int, dst []uint8) {
		yi := (y-r0.Y)*m.YStride - r0.X             // + x
		ci := (y>>vs-r0.Y>>vs)*m.CStride - r0.X>>hs // + x>>hs
		for x := x0; x < x1; x++ {
			// color.YCbCrToRGB, 16.16 fixed point.
			yy := int32(m.Y[yi+x]) * 0x10101
			b1 := int32(m.Cb[ci+x>>hs]) - 128
			r1 := int32(m.Cr[ci+x>>hs]) - 128
			d := dst[3*(x-x0) : 3*(x-x0)+3]
			d[0] = clamp16(yy + 91881*r1)
			d[1] = clamp16(yy - 22554*b1 - 46802*r1)
			d[2] = clamp16(yy + 116130*b1)
		}
	}
}

// clamp16 returns v>>16 clamped to [0, 255], as color.YCbCrToRGB does.
func clamp16(v int32) uint8 {
	if uint32(v)&0xff000000 == 0 {
		return uint8(v >> 16)
	}
	return uint8(^(v >> 31))
}

// overWhite composites straight (non-premultiplied) channel c with alpha a
// (0..255) over white, rounding to nearest.
func overWhite(c uint8, a uint32) uint8 {
	return uint8((uint32(c)*a + 255*(255-a) + 127) / 255)
}

// rgbOverWhite composites any color over white.
func rgbOverWhite(c color.Color) [3]uint8 {
	r, g, b, a := c.RGBA() // premultiplied, 16 bits
	t := 0xffff - a
	return [3]uint8{uint8((r + t) >> 8), uint8((g + t) >> 8), uint8((b + t) >> 8)}
}

// areaSpans gives, for each of dst output cells along one axis, the first
// source cell it overlaps and the overlaps with that cell and the following
// ones, in units where a source cell has length dst and an output cell length
// src (so the overlaps of one output cell sum to src). Needs dst ≤ src.
func areaSpans(src, dst int) (first []int, overlap [][]int64) {
	first = make([]int, dst)
	overlap = make([][]int64, dst)
	for j := range dst {
		lo, hi := j*src, (j+1)*src // output cell j in common units
		i := lo / dst
		first[j] = i
		for ; i*dst < hi; i++ {
			a, b := max(lo, i*dst), min(hi, (i+1)*dst)
			overlap[j] = append(overlap[j], int64(b-a))
		}
	}
	return first, overlap
}

// areaResample shrinks the rectangle r of m to a dw×dh image by exact area
// averaging: output pixel (X, Y) is the mean of the source over the area
// [X·sw/dw, (X+1)·sw/dw) × [Y·sh/dh, (Y+1)·sh/dh) of r, partial pixels
// weighted by the fraction covered, computed in integers and rounded to
// nearest (halves up). Needs dw ≤ r.Dx() and dh ≤ r.Dy().
func areaResample(m image.Image, r image.Rectangle, dw, dh int) *pretext.Image {
	sw, sh := r.Dx(), r.Dy()
	if sw == dw && sh == dh { // same size: the average of one pixel is itself
		out := pretext.NewImage(dw, dh)
		read := rgbRows(m)
		for y := range sh {
			read(r.Min.Y+y, r.Min.X, r.Max.X, out.Pix[3*dw*y:])
		}
		return out
	}
	xFirst, xOver := areaSpans(sw, dw)
	yFirst, yOver := areaSpans(sh, dh)
	read := rgbRows(m)
	row := make([]uint8, 3*sw)
	hrow := make([]int64, 3*dw)
	acc := make([]int64, 3*dw*dh)
	// Source rows in order; each adds to the (at most two) output rows it overlaps.
	yo := 0 // first output row that may still overlap source row sy
	for sy := range sh {
		read(r.Min.Y+sy, r.Min.X, r.Max.X, row)
		for X := range dw {
			var s0, s1, s2 int64
			p := row[3*xFirst[X]:]
			for k, w := range xOver[X] {
				s0 += w * int64(p[3*k])
				s1 += w * int64(p[3*k+1])
				s2 += w * int64(p[3*k+2])
			}
			hrow[3*X], hrow[3*X+1], hrow[3*X+2] = s0, s1, s2
		}
		for Y := yo; Y < dh && yFirst[Y] <= sy; Y++ {
			k := sy - yFirst[Y]
			if k >= len(yOver[Y]) {
				yo = Y + 1
				continue
			}
			w := yOver[Y][k]
			a := acc[3*dw*Y : 3*dw*(Y+1)]
			for i, v := range hrow {
				a[i] += w * v
			}
		}
	}
	out := pretext.NewImage(dw, dh)
	total := int64(sw) * int64(sh) // sum of weights of one output pixel
	for i, v := range acc {
		out.Pix[i] = uint8((v + total/2) / total)
	}
	return out
}

// bilinearResample scales the rectangle r of m to dw×dh by bilinear
// interpolation with pixel centers aligned: output (X, Y) samples the source
// at ((X+½)·sw/dw − ½, (Y+½)·sh/dh − ½), clamped to the edge pixels. Used to
// enlarge; the source rectangle is converted to RGB first.
func bilinearResample(m image.Image, r image.Rectangle, dw, dh int) *pretext.Image {
	sw, sh := r.Dx(), r.Dy()
	src := make([]uint8, 3*sw*sh)
	read := rgbRows(m)
	for y := range sh {
		read(r.Min.Y+y, r.Min.X, r.Max.X, src[3*sw*y:])
	}
	coord := func(o, s, d int) (i0, i1 int, f float32) {
		c := (float32(o)+0.5)*float32(s)/float32(d) - 0.5
		if c <= 0 {
			return 0, 0, 0
		}
		if c >= float32(s-1) {
			return s - 1, s - 1, 0
		}
		i0 = int(c)
		return i0, i0 + 1, c - float32(i0)
	}
	out := pretext.NewImage(dw, dh)
	for Y := range dh {
		y0, y1, fy := coord(Y, sh, dh)
		for X := range dw {
			x0, x1, fx := coord(X, sw, dw)
			for ch := range 3 {
				p00 := float32(src[3*(sw*y0+x0)+ch])
				p01 := float32(src[3*(sw*y0+x1)+ch])
				p10 := float32(src[3*(sw*y1+x0)+ch])
				p11 := float32(src[3*(sw*y1+x1)+ch])
				top := p00 + fx*(p01-p00)
				bot := p10 + fx*(p11-p10)
				out.Pix[3*(dw*Y+X)+ch] = uint8(top + fy*(bot-top) + 0.5)
			}
		}
	}
	return out
}
