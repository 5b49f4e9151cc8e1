package pretext

import "fmt"

// Image is decoded 8-bit RGB pixels, interleaved row by row:
// the pixel at (x, y) is Pix[3*(y*Width+x) : 3*(y*Width+x)+3].
// It is the unit the whole pipeline passes around: files decode to it,
// pretext tasks and augmentations read it.
type Image struct {
	Width, Height int
	Pix           []uint8
}

// NewImage returns a black image of the given size.
func NewImage(width, height int) *Image {
	if width <= 0 || height <= 0 {
		panic(fmt.Sprintf("pretext: NewImage(%d, %d): size must be positive", width, height))
	}
	return &Image{Width: width, Height: height, Pix: make([]uint8, 3*width*height)}
}

// Clone returns a deep copy of img.
func (img *Image) Clone() *Image {
	return &Image{Width: img.Width, Height: img.Height, Pix: append([]uint8(nil), img.Pix...)}
}

// Crop returns a copy of the w×h rectangle whose top-left corner is (x, y).
// The rectangle must lie inside the image.
func (img *Image) Crop(x, y, w, h int) *Image {
	if x < 0 || y < 0 || w <= 0 || h <= 0 || x+w > img.Width || y+h > img.Height {
		panic(fmt.Sprintf("pretext: Crop(%d, %d, %d, %d) outside %d×%d image", x, y, w, h, img.Width, img.Height))
	}
	dst := NewImage(w, h)
	for r := 0; r < h; r++ {
		src := img.Pix[3*((y+r)*img.Width+x):]
		copy(dst.Pix[3*r*w:3*(r+1)*w], src[:3*w])
	}
	return dst
}

// Paste copies src into img with src's top-left corner at (x, y); the parts
// of src that fall outside img are dropped.
func (img *Image) Paste(src *Image, x, y int) {
	for r := 0; r < src.Height; r++ {
		ty := y + r
		if ty < 0 || ty >= img.Height {
			continue
		}
		for c := 0; c < src.Width; c++ {
			tx := x + c
			if tx < 0 || tx >= img.Width {
				continue
			}
			copy(img.Pix[3*(ty*img.Width+tx):3*(ty*img.Width+tx)+3], src.Pix[3*(r*src.Width+c):])
		}
	}
}

// Fill sets every pixel of img to the colour (r, g, b).
func (img *Image) Fill(r, g, b uint8) {
	for i := 0; i < len(img.Pix); i += 3 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2] = r, g, b
	}
}

// Rotate90 returns img rotated by k quarter turns counter-clockwise
// (k is taken modulo 4; negative k turns clockwise). A counter-clockwise
// quarter turn of a W×H image gives an H×W image whose pixel (x', y') is the
// source pixel (W-1-y', x').
func (img *Image) Rotate90(k int) *Image {
	k = ((k % 4) + 4) % 4
	w, h := img.Width, img.Height
	if k == 0 {
		return img.Clone()
	}
	dw, dh := w, h
	if k%2 == 1 {
		dw, dh = h, w
	}
	dst := NewImage(dw, dh)
	for yo := 0; yo < dh; yo++ {
		for xo := 0; xo < dw; xo++ {
			xs, ys := rotSource(k, xo, yo, w, h)
			copy(dst.Pix[3*(yo*dw+xo):3*(yo*dw+xo)+3], img.Pix[3*(ys*w+xs):])
		}
	}
	return dst
}

// rotSource maps the output pixel (xo, yo) of a k-quarter-turn
// counter-clockwise rotation of a w×h image back to its source pixel.
func rotSource(k, xo, yo, w, h int) (xs, ys int) {
	switch k {
	case 1:
		return w - 1 - yo, xo
	case 2:
		return w - 1 - xo, h - 1 - yo
	case 3:
		return yo, h - 1 - xo
	}
	return xo, yo
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
