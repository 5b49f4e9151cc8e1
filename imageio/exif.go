package imageio

import (
	"bytes"
	"encoding/binary"
	"image"

	"github.com/tessera-ssl/tessera/pretext"
)

// exifOrientation is the EXIF Orientation tag (0x0112): how the stored
// pixels must be transformed to show the picture upright. Cameras and phones
// write it instead of rotating the pixels, and browsers honor it, so a
// rotation pretext task must too or sideways photos become mislabeled.
//
//	1 as stored            5 transpose (flip about the main diagonal)
//	2 mirror left↔right    6 rotate 90° clockwise
//	3 rotate 180°          7 transverse (flip about the anti-diagonal)
//	4 mirror top↔bottom    8 rotate 90° counter-clockwise
type exifOrientation int

// swapsAxes reports whether the upright picture is the stored one transposed.
func (o exifOrientation) swapsAxes() bool { return o >= 5 && o <= 8 }

// source returns the stored pixel shown at upright position (x, y), for a
// stored image w×h. With continuous=true it maps edges instead of pixel
// indices (w and h in place of w−1 and h−1).
func (o exifOrientation) source(x, y, w, h int, continuous bool) (int, int) {
	W, H := w-1, h-1
	if continuous {
		W, H = w, h
	}
	switch o {
	case 2:
		return W - x, y
	case 3:
		return W - x, H - y
	case 4:
		return x, H - y
	case 5:
		return y, x
	case 6:
		return y, H - x
	case 7:
		return W - y, H - x
	case 8:
		return W - y, x
	}
	return x, y
}

// toStored maps rectangle r of the upright uw×uh picture onto the stored pixels.
func (o exifOrientation) toStored(r image.Rectangle, uw, uh int) image.Rectangle {
	w, h := uw, uh
	if o.swapsAxes() {
		w, h = uh, uw
	}
	x0, y0 := o.source(r.Min.X, r.Min.Y, w, h, true)
	x1, y1 := o.source(r.Max.X, r.Max.Y, w, h, true)
	return image.Rect(x0, y0, x1, y1) // Rect sorts the corners
}

// apply returns the upright version of the stored image m (m itself for 1).
func (o exifOrientation) apply(m *pretext.Image) *pretext.Image {
	if o < 2 || o > 8 {
		return m
	}
	uw, uh := m.Width, m.Height
	if o.swapsAxes() {
		uw, uh = uh, uw
	}
	out := pretext.NewImage(uw, uh)
	for y := range uh {
		for x := range uw {
			sx, sy := o.source(x, y, m.Width, m.Height, false)
			copy(out.Pix[3*(y*uw+x):3*(y*uw+x)+3], m.Pix[3*(sy*m.Width+sx):])
		}
	}
	return out
}

// orientation finds the EXIF orientation in a JPEG (APP1 segment), PNG
// (eXIf chunk) or WebP (EXIF chunk) file; 1 when absent or unreadable.
func orientation(format string, data []byte) exifOrientation {
	var tiff []byte
	switch format {
	case formatJPEG:
		tiff = jpegEXIF(data)
	case formatPNG:
		tiff = pngEXIF(data)
	case formatWebP:
		tiff = webpEXIF(data)
	}
	return tiffOrientation(tiff)
}

// jpegEXIF returns the TIFF block of a JPEG's "Exif" APP1 segment, or nil.
// Segments are 0xFF, marker, 16-bit big-endian length (counting itself); the
// search stops at the start of the image data.
func jpegEXIF(d []byte) []byte {
	p := 2 // after SOI
	for p+4 <= len(d) {
		if d[p] != 0xff {
			return nil
		}
		marker := d[p+1]
		if marker == 0xff { // fill byte
			p++
			continue
		}
		if marker == 0xda || marker == 0xd9 { // start of scan, end of image
			return nil
		}
		n := int(binary.BigEndian.Uint16(d[p+2:]))
		if n < 2 || p+2+n > len(d) {
			return nil
		}
		seg := d[p+4 : p+2+n]
		if marker == 0xe1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return seg[6:]
		}
		p += 2 + n
	}
	return nil
}

// pngEXIF returns the payload of a PNG's eXIf chunk before the image data, or nil.
func pngEXIF(d []byte) []byte {
	p := 8 // after the signature
	for p+12 <= len(d) {
		n := int(binary.BigEndian.Uint32(d[p:]))
		typ := string(d[p+4 : p+8])
		if n < 0 || n > len(d)-p-12 || typ == "IDAT" {
			return nil
		}
		if typ == "eXIf" {
			return d[p+8 : p+8+n]
		}
		p += 12 + n
	}
	return nil
}

// webpEXIF returns the payload of a WebP's EXIF chunk, or nil. RIFF chunks
// are a fourcc, a 32-bit little-endian length, the data and a pad to even.
func webpEXIF(d []byte) []byte {
	p := 12 // after "RIFF", size, "WEBP"
	for p+8 <= len(d) {
		n := int(binary.LittleEndian.Uint32(d[p+4:]))
		if n < 0 || n > len(d)-p-8 {
			return nil
		}
		if string(d[p:p+4]) == "EXIF" {
			return bytes.TrimPrefix(d[p+8:p+8+n], []byte("Exif\x00\x00"))
		}
		p += 8 + n + n&1
	}
	return nil
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF block: "II" or "MM"
// byte order, 42, the offset of IFD0; an IFD is a 16-bit count of 12-byte
// entries (tag, type, count, value). Returns 1 when absent or out of range.
func tiffOrientation(t []byte) exifOrientation {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd+2 > int64(len(t)) {
		return 1
	}
	n := int64(bo.Uint16(t[ifd:]))
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(t)) {
			return 1
		}
		if bo.Uint16(t[e:]) == 0x0112 && bo.Uint16(t[e+2:]) == 3 { // SHORT
			if v := exifOrientation(bo.Uint16(t[e+8:])); v >= 1 && v <= 8 {
				return v
			}
			return 1
		}
	}
	return 1
}
