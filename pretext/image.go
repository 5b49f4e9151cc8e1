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
