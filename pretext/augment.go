package pretext

import (
	"fmt"
	"math"
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

// Grayscale returns img with every pixel replaced by the gray of the same
// CIE lightness L* (gray level = sRGB encoding of the luminance
// Y = 0.2127 R + 0.7152 G + 0.0722 B of the linearised channels). It is the
// gray the colorization task feeds the network.
func Grayscale(img *Image) *Image {
	dst := NewImage(img.Width, img.Height)
	for i := 0; i < len(img.Pix); i += 3 {
		g := clampU8(grayValue(img.Pix[i], img.Pix[i+1], img.Pix[i+2]))
		dst.Pix[i], dst.Pix[i+1], dst.Pix[i+2] = g, g, g
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

// RandomResizedCrop returns a size×size image resized from a random
// rectangle of img (the Inception recipe): the rectangle's area is a fraction
// uniform in [scaleMin, scaleMax] of the image's, its aspect ratio w/h is
// log-uniform in [3/4, 4/3], its position uniform. After 10 rectangles that
// do not fit, it falls back to the largest centred square.
func RandomResizedCrop(img *Image, size int, scaleMin, scaleMax float64, rng *rand.Rand) *Image {
	W, H := img.Width, img.Height
	area := float64(W * H)
	for try := 0; try < 10; try++ {
		target := area * (scaleMin + (scaleMax-scaleMin)*rng.Float64())
		logR := math.Log(3.0/4) + (math.Log(4.0/3)-math.Log(3.0/4))*rng.Float64()
		ratio := math.Exp(logR)
		w := int(math.Round(math.Sqrt(target * ratio)))
		h := int(math.Round(math.Sqrt(target / ratio)))
		if w >= 1 && h >= 1 && w <= W && h <= H {
			x := rng.IntN(W - w + 1)
			y := rng.IntN(H - h + 1)
			return Resize(img.Crop(x, y, w, h), size, size)
		}
	}
	s := min(W, H)
	return Resize(img.Crop((W-s)/2, (H-s)/2, s, s), size, size)
}

// ColorJitter applies, in a random order, random changes of brightness,
// contrast, saturation and hue (the torchvision recipe). With factors f drawn
// uniformly from [max(0, 1−s), 1+s] for strength s:
//
//	brightness: v ← f·v
//	contrast:   v ← f·v + (1−f)·mean gray of the image
//	saturation: v ← f·v + (1−f)·gray of the pixel
//	hue:        rotate the HSV hue by a turn fraction uniform in [−hue, hue]
//
// A strength of 0 leaves that property untouched; hue must be ≤ 0.5.
func ColorJitter(img *Image, brightness, contrast, saturation, hue float64, rng *rand.Rand) *Image {
	n := img.Width * img.Height
	v := make([]float32, 3*n)
	for i, p := range img.Pix {
		v[i] = float32(p) / 255
	}
	order := [4]int{0, 1, 2, 3}
	for i := 3; i > 0; i-- {
		j := rng.IntN(i + 1)
		order[i], order[j] = order[j], order[i]
	}
	factor := func(s float64) float32 { return float32(max(0, 1-s) + (1+s-max(0, 1-s))*rng.Float64()) }
	for _, op := range order {
		switch op {
		case 0:
			if brightness > 0 {
				f := factor(brightness)
				for i := range v {
					v[i] = clamp01(f * v[i])
				}
			}
		case 1:
			if contrast > 0 {
				f := factor(contrast)
				var m float32
				for i := 0; i < n; i++ {
					m += luma(v[3*i:])
				}
				m /= float32(n)
				for i := range v {
					v[i] = clamp01(f*v[i] + (1-f)*m)
				}
			}
		case 2:
			if saturation > 0 {
				f := factor(saturation)
				for i := 0; i < n; i++ {
					p := v[3*i : 3*i+3]
					g := luma(p)
					for c := range p {
						p[c] = clamp01(f*p[c] + (1-f)*g)
					}
				}
			}
		case 3:
			if hue > 0 {
				h := float32(hue * (2*rng.Float64() - 1))
				for i := 0; i < n; i++ {
					shiftHue(v[3*i:3*i+3], h)
				}
			}
		}
	}
	dst := NewImage(img.Width, img.Height)
	for i := range v {
		dst.Pix[i] = clampU8(255 * v[i])
	}
	return dst
}

// luma is the Rec. 601 gray of an RGB triple in [0, 1].
func luma(p []float32) float32 { return 0.299*p[0] + 0.587*p[1] + 0.114*p[2] }

func clamp01(v float32) float32 { return min(max(v, 0), 1) }

// shiftHue rotates the hue of the RGB triple p (in [0, 1]) by h turns,
// keeping its HSV saturation and value.
func shiftHue(p []float32, h float32) {
	r, g, b := p[0], p[1], p[2]
	mx, mn := max(r, g, b), min(r, g, b)
	d := mx - mn
	if d == 0 {
		return
	}
	var hh float32 // hue in turns
	switch mx {
	case r:
		hh = (g - b) / d / 6
	case g:
		hh = ((b-r)/d + 2) / 6
	default:
		hh = ((r-g)/d + 4) / 6
	}
	hh += h
	hh -= float32(math.Floor(float64(hh)))
	// HSV → RGB with value mx and chroma d.
	x := 6 * hh
	sector := int(x)
	f := x - float32(sector)
	up, down := mn+d*f, mx-d*f
	switch sector % 6 {
	case 0:
		r, g, b = mx, up, mn
	case 1:
		r, g, b = down, mx, mn
	case 2:
		r, g, b = mn, mx, up
	case 3:
		r, g, b = mn, down, mx
	case 4:
		r, g, b = up, mn, mx
	default:
		r, g, b = mx, mn, down
	}
	p[0], p[1], p[2] = r, g, b
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
