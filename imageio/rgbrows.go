package imageio

import (
	"image"
	"image/color"

	"github.com/tessera-ssl/tessera/pretext"
)

// rgbRows returns the reader of m's rows that pretext.Resample takes. Every
// color model becomes RGB; alpha is composited over white: out = c·a + 255·(1−a) for a straight color c, or
// out = c + 255 − a for a premultiplied one. The common decoder outputs
// (YCbCr, Gray, Paletted, CMYK, RGBA, NRGBA, NYCbCrA) are read directly;
// anything else goes through color.Color, 16 bits truncated to 8.
func rgbRows(m image.Image) pretext.RowReader {
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
func ycbcrRows(m *image.YCbCr) pretext.RowReader {
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
