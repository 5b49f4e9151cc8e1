package pretext

import (
	"fmt"
	"math/rand/v2"
)

// Data augmentation for the downstream classifier (and for tasks that want
// it). Every operation returns a new image and draws randomness only from the
// rng it is given, so a seed fixes the result on every platform.

// HorizontalFlip returns img mirrored left to right: pixel (x, y) of the
// result is pixel (W−1−x, y) of img.
func HorizontalFlip(img *Image) *Image {
	dst := NewImage(img.Width, img.Height)
	w := img.Width
	for y := 0; y < img.Height; y++ {
		for x := 0; x < w; x++ {
			copy(dst.Pix[3*(y*w+x):3*(y*w+x)+3], img.Pix[3*(y*w+w-1-x):])
		}
	}
	return dst
}

// RandomCropPad pads img with black by pad pixels on every side and returns
// a random size×size crop of the padded image (the CIFAR recipe: size 32,
// pad 4). The crop's top-left corner is uniform over all positions that keep
// it inside the padded image.
func RandomCropPad(img *Image, size, pad int, rng *rand.Rand) *Image {
	pw, ph := img.Width+2*pad, img.Height+2*pad
	if size > pw || size > ph {
		panic(fmt.Sprintf("pretext: RandomCropPad: crop %d larger than padded %d×%d", size, pw, ph))
	}
	ox := rng.IntN(pw-size+1) - pad
	oy := rng.IntN(ph-size+1) - pad
	dst := NewImage(size, size)
	dst.Paste(img, -ox, -oy)
	return dst
}

// FitSquare returns img as a size×size image: img itself when it already
// has that size, else img scaled so its shorter side is size and cropped to a
// square — at a random position drawn from rng, or centred when rng is nil.
// Tasks call it on the images they are given, so any image size works; the
// pipeline should resize photos to the working size once, beforehand, to
// keep sample generation fast.
func FitSquare(img *Image, size int, rng *rand.Rand) *Image {
	if img.Width == size && img.Height == size {
		return img
	}
	s := ResizeShorter(img, size)
	x, y := (s.Width-size)/2, (s.Height-size)/2
	if rng != nil {
		x, y = rng.IntN(s.Width-size+1), rng.IntN(s.Height-size+1)
	}
	return s.Crop(x, y, size, size)
}
