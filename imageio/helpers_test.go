package imageio

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/tessera-ssl/tessera/pretext"
)

// Test images are generated here, never read from disk.

func solidRGBA(w, h int, c color.RGBA) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func encodePNG(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, m image.Image, quality int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, &jpeg.Options{Quality: quality}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeGIF(t testing.TB, m image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, m, &gif.Options{NumColors: 256, Quantizer: nil, Drawer: nil}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// palettedGIF encodes m exactly through the Plan 9 palette (which holds the
// colors the tests use).
func palettedGIF(t testing.TB, m image.Image) []byte {
	t.Helper()
	p := image.NewPaletted(m.Bounds(), palette.Plan9)
	for y := m.Bounds().Min.Y; y < m.Bounds().Max.Y; y++ {
		for x := m.Bounds().Min.X; x < m.Bounds().Max.X; x++ {
			p.Set(x, y, m.At(x, y))
		}
	}
	return encodeGIF(t, p)
}

// solidWebP builds a lossless (VP8L) WebP of one color by hand, since Go has
// no WebP encoder: after the header, no transforms, no color cache, no meta
// codes, and five "simple" prefix codes of one symbol each (green, red, blue,
// alpha, distance), so every pixel costs zero bits. exif, if not nil, is
// added as an EXIF chunk (the file then uses the extended VP8X layout).
func solidWebP(w, h int, c color.NRGBA, exif []byte) []byte {
	var bits []bool
	put := func(v uint32, n int) { // LSB first
		for i := range n {
			bits = append(bits, v>>i&1 == 1)
		}
	}
	put(uint32(w-1), 14)
	put(uint32(h-1), 14)
	put(1, 1) // alpha used
	put(0, 3) // version
	put(0, 1) // no transform
	put(0, 1) // no color cache
	put(0, 1) // no meta prefix codes
	for _, sym := range []uint8{c.G, c.R, c.B, c.A, 0} {
		put(1, 1) // simple code
		put(0, 1) // one symbol
		put(1, 1) // 8-bit symbol
		put(uint32(sym), 8)
	}
	data := []byte{0x2f}
	for i := 0; i < len(bits); i += 8 {
		var b byte
		for k := 0; k < 8 && i+k < len(bits); k++ {
			if bits[i+k] {
				b |= 1 << k
			}
		}
		data = append(data, b)
	}
	chunk := func(fourcc string, payload []byte) []byte {
		out := append([]byte(fourcc), binary.LittleEndian.AppendUint32(nil, uint32(len(payload)))...)
		out = append(out, payload...)
		if len(payload)%2 == 1 {
			out = append(out, 0)
		}
		return out
	}
	var body []byte
	if exif != nil {
		// VP8X: flags (alpha 0x10, EXIF 0x08), 3 reserved bytes, canvas w−1, h−1 as 24-bit.
		vp8x := []byte{0x18, 0, 0, 0}
		vp8x = append(vp8x, byte(w-1), byte((w-1)>>8), byte((w-1)>>16), byte(h-1), byte((h-1)>>8), byte((h-1)>>16))
		body = append(body, chunk("VP8X", vp8x)...)
		body = append(body, chunk("VP8L", data)...)
		body = append(body, chunk("EXIF", exif)...)
	} else {
		body = chunk("VP8L", data)
	}
	riff := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(body)))...)
	riff = append(riff, "WEBP"...)
	return append(riff, body...)
}

// pngChunk builds a PNG chunk: length, type, data, CRC of type and data.
func pngChunk(typ string, data []byte) []byte {
	out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	out = append(out, typ...)
	out = append(out, data...)
	return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// pngHeaderOnly is a PNG signature and IHDR declaring w×h RGB pixels, and nothing else.
func pngHeaderOnly(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0) // depth 8, RGB, deflate, adaptive filter, no interlace
	return append([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr)...)
}

// tiffOrientationBlock is a TIFF block whose IFD0 holds only Orientation = o.
func tiffOrientationBlock(o uint16, bigEndian bool) []byte {
	var bo binary.AppendByteOrder = binary.LittleEndian
	t := []byte("II")
	if bigEndian {
		bo, t = binary.BigEndian, []byte("MM")
	}
	t = bo.AppendUint16(t, 42)
	t = bo.AppendUint32(t, 8)      // IFD0 offset
	t = bo.AppendUint16(t, 2)      // two entries
	t = bo.AppendUint16(t, 0x010f) // Make, ASCII: a tag to skip
	t = bo.AppendUint16(t, 2)
	t = bo.AppendUint32(t, 4)
	t = append(t, 'G', 'o', 0, 0)
	t = bo.AppendUint16(t, 0x0112) // Orientation, SHORT, 1
	t = bo.AppendUint16(t, 3)
	t = bo.AppendUint32(t, 1)
	t = bo.AppendUint16(t, o)
	t = bo.AppendUint16(t, 0)
	return bo.AppendUint32(t, 0) // no next IFD
}

// withJPEGEXIF inserts an APP1 Exif segment holding tiff right after SOI.
func withJPEGEXIF(j, tiff []byte) []byte {
	payload := append([]byte("Exif\x00\x00"), tiff...)
	seg := append([]byte{0xff, 0xe1}, binary.BigEndian.AppendUint16(nil, uint16(2+len(payload)))...)
	seg = append(seg, payload...)
	out := append([]byte{}, j[:2]...)
	out = append(out, seg...)
	return append(out, j[2:]...)
}

// withPNGEXIF inserts an eXIf chunk right after IHDR.
func withPNGEXIF(p, tiff []byte) []byte {
	ihdrEnd := 8 + 12 + 13
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, pngChunk("eXIf", tiff)...)
	return append(out, p[ihdrEnd:]...)
}

// pixel returns the RGB color at (x, y).
func pixel(m *pretext.Image, x, y int) [3]uint8 {
	i := 3 * (y*m.Width + x)
	return [3]uint8{m.Pix[i], m.Pix[i+1], m.Pix[i+2]}
}

// near reports whether every channel of a and b differs by at most tol.
func near(a, b [3]uint8, tol int) bool {
	for i := range a {
		if d := int(a[i]) - int(b[i]); d > tol || d < -tol {
			return false
		}
	}
	return true
}
