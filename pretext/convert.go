package pretext

import (
	"image"
	"image/color"
)

// FromStd converts any decoded image.Image to an Image, dropping alpha
// (pixels are composited over black, as color.RGBA's premultiplied values are).
func FromStd(src image.Image) *Image {
	b := src.Bounds()
	dst := NewImage(max(1, b.Dx()), max(1, b.Dy()))
	if b.Empty() {
		return dst
	}
	switch s := src.(type) {
	case *image.RGBA:
		for y := 0; y < b.Dy(); y++ {
			row := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				copy(dst.Pix[3*(y*dst.Width+x):3*(y*dst.Width+x)+3], row[4*x:4*x+3])
			}
		}
	case *image.NRGBA:
		for y := 0; y < b.Dy(); y++ {
			row := s.Pix[s.PixOffset(b.Min.X, b.Min.Y+y):]
			for x := 0; x < b.Dx(); x++ {
				p := row[4*x : 4*x+4]
				a := uint32(p[3])
				o := dst.Pix[3*(y*dst.Width+x):]
				o[0] = uint8((uint32(p[0])*a + 127) / 255)
				o[1] = uint8((uint32(p[1])*a + 127) / 255)
				o[2] = uint8((uint32(p[2])*a + 127) / 255)
			}
		}
	default:
		for y := 0; y < b.Dy(); y++ {
			for x := 0; x < b.Dx(); x++ {
				r, g, bb, _ := src.At(b.Min.X+x, b.Min.Y+y).RGBA()
				o := dst.Pix[3*(y*dst.Width+x):]
				o[0], o[1], o[2] = uint8(r>>8), uint8(g>>8), uint8(bb>>8)
			}
		}
	}
	return dst
}

// ToStd returns img as an opaque *image.RGBA (for PNG encoding and display).
func (img *Image) ToStd() *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, img.Width, img.Height))
	for i, j := 0, 0; i < len(img.Pix); i, j = i+3, j+4 {
		dst.Pix[j], dst.Pix[j+1], dst.Pix[j+2], dst.Pix[j+3] = img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255
	}
	return dst
}

// At returns the colour of pixel (x, y).
func (img *Image) At(x, y int) color.RGBA {
	p := img.Pix[3*(y*img.Width+x):]
	return color.RGBA{p[0], p[1], p[2], 255}
}
