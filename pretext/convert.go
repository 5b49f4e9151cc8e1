package pretext

import (
	"image"
	"image/color"
)

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
