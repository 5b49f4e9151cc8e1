package pretext

import (
	"math"
	"math/rand/v2"
)

// Strong augmentation for semi-supervised training: RandAugment (Cubuk et
// al. 2020) with a random magnitude per operation, as FixMatch (Sohn et al.
// 2020) uses it, followed by Cutout (DeVries & Taylor 2017).
//
// StrongAugment applies ops operations drawn uniformly, with replacement,
// from the list below, each with a magnitude m uniform in [0, 1], then
// paints one gray square of side ⌊cutout·size⌋ at a uniform position
// (clipped at the borders). With f = 1 ± 0.9·m (sign uniform) the colour
// operations are
//
//	identity
//	auto-contrast:  each channel stretched linearly to [0, 255]
//	equalize:       each channel's histogram equalised
//	posterize:      keep the top 8 − ⌊4m⌋ bits of every value
//	solarize:       invert values ≥ 256·(1 − m)
//	brightness:     v ← f·v
//	contrast:       v ← f·v + (1 − f)·(mean gray of the image)
//	color:          v ← f·v + (1 − f)·(gray of the pixel)
//	sharpness:      v ← f·v + (1 − f)·smooth(v), smooth the 3×3 PIL kernel
//
// and the geometric ones map the output pixel p to the input point A·p
// (about the image centre), sampled bilinearly, gray outside the image:
//
//	rotate:         by ±30·m degrees
//	shear-x, -y:    by ±0.3·m
//	translate-x, -y: by ±0.3·m of the side
//
// Every value is clamped to [0, 255]. The result is a new image; img is not
// changed. All randomness comes from rng.
func StrongAugment(img *Image, ops int, cutout float64, rng *rand.Rand) *Image {
	out := img.Clone()
	for range ops {
		op := strongOps[rng.IntN(len(strongOps))]
		out = op(out, rng.Float64(), rng)
	}
	if side := int(cutout * float64(min(img.Width, img.Height))); side > 0 {
		Cutout(out, side, rng)
	}
	return out
}

// strongOps lists StrongAugment's operations: each takes an image it may
// change in place, a magnitude in [0, 1] and the rng, and returns the result.
var strongOps = []func(img *Image, m float64, rng *rand.Rand) *Image{
	func(img *Image, _ float64, _ *rand.Rand) *Image { return img },
	func(img *Image, _ float64, _ *rand.Rand) *Image { autoContrast(img); return img },
	func(img *Image, _ float64, _ *rand.Rand) *Image { equalize(img); return img },
	func(img *Image, m float64, _ *rand.Rand) *Image { posterize(img, 8-int(4*m)); return img },
	func(img *Image, m float64, _ *rand.Rand) *Image { solarize(img, 256*(1-m)); return img },
	func(img *Image, m float64, rng *rand.Rand) *Image {
		f := enhanceFactor(m, rng)
		return mapValues(img, func(v, _ float32) float32 { return f * v }, nil)
	},
	func(img *Image, m float64, rng *rand.Rand) *Image {
		f, g := enhanceFactor(m, rng), meanGray(img)
		return mapValues(img, func(v, _ float32) float32 { return f*v + (1-f)*g }, nil)
	},
	func(img *Image, m float64, rng *rand.Rand) *Image {
		f := enhanceFactor(m, rng)
		return mapValues(img, func(v, gray float32) float32 { return f*v + (1-f)*gray }, pixelGray)
	},
	func(img *Image, m float64, rng *rand.Rand) *Image { return sharpness(img, enhanceFactor(m, rng)) },
	func(img *Image, m float64, rng *rand.Rand) *Image {
		a := signed(30*m, rng) * math.Pi / 180
		c, s := math.Cos(a), math.Sin(a)
		return affine(img, [4]float64{c, -s, s, c}, 0, 0)
	},
	func(img *Image, m float64, rng *rand.Rand) *Image {
		return affine(img, [4]float64{1, signed(0.3*m, rng), 0, 1}, 0, 0)
	},
	func(img *Image, m float64, rng *rand.Rand) *Image {
		return affine(img, [4]float64{1, 0, signed(0.3*m, rng), 1}, 0, 0)
	},
	func(img *Image, m float64, rng *rand.Rand) *Image {
		return affine(img, [4]float64{1, 0, 0, 1}, signed(0.3*m, rng)*float64(img.Width), 0)
	},
	func(img *Image, m float64, rng *rand.Rand) *Image {
		return affine(img, [4]float64{1, 0, 0, 1}, 0, signed(0.3*m, rng)*float64(img.Height))
	},
}

// Cutout paints a side×side square of gray (128) into img in place, centred
// at a uniform pixel and clipped at the borders.
func Cutout(img *Image, side int, rng *rand.Rand) {
	cx, cy := rng.IntN(img.Width), rng.IntN(img.Height)
	x0, y0 := max(0, cx-side/2), max(0, cy-side/2)
	x1, y1 := min(img.Width, cx-side/2+side), min(img.Height, cy-side/2+side)
	for y := y0; y < y1; y++ {
		row := img.Pix[3*(y*img.Width+x0) : 3*(y*img.Width+x1)]
		for i := range row {
			row[i] = 128
		}
	}
}

// signed returns v or −v with equal probability.
func signed(v float64, rng *rand.Rand) float64 {
	if rng.IntN(2) == 0 {
		return -v
	}
	return v
}

// enhanceFactor is PIL ImageEnhance's factor f = 1 ± 0.9·m.
func enhanceFactor(m float64, rng *rand.Rand) float32 { return float32(1 + signed(0.9*m, rng)) }

// pixelGray is the Rec. 601 gray of an 8-bit RGB pixel, in 0..255.
func pixelGray(p []uint8) float32 {
	return 0.299*float32(p[0]) + 0.587*float32(p[1]) + 0.114*float32(p[2])
}

// meanGray is the mean of pixelGray over the image.
func meanGray(img *Image) float32 {
	var s float64
	for i := 0; i < len(img.Pix); i += 3 {
		s += float64(pixelGray(img.Pix[i : i+3]))
	}
	return float32(s / float64(len(img.Pix)/3))
}

// mapValues replaces every channel value v of img, in place, by
// clamp(fn(v, gray)), where gray is gray(pixel) when gray is not nil.
func mapValues(img *Image, fn func(v, gray float32) float32, gray func([]uint8) float32) *Image {
	for i := 0; i < len(img.Pix); i += 3 {
		p := img.Pix[i : i+3]
		var g float32
		if gray != nil {
			g = gray(p)
		}
		for c := range p {
			p[c] = clampU8(fn(float32(p[c]), g))
		}
	}
	return img
}

// autoContrast stretches each channel of img linearly so that its darkest
// value becomes 0 and its brightest 255 (a flat channel is left alone).
func autoContrast(img *Image) {
	for c := range 3 {
		lo, hi := uint8(255), uint8(0)
		for i := c; i < len(img.Pix); i += 3 {
			lo, hi = min(lo, img.Pix[i]), max(hi, img.Pix[i])
		}
		if hi <= lo {
			continue
		}
		scale := 255 / float32(hi-lo)
		for i := c; i < len(img.Pix); i += 3 {
			img.Pix[i] = clampU8(float32(img.Pix[i]-lo) * scale)
		}
	}
}

// equalize maps each channel of img through its own cumulative histogram,
// so its values spread evenly over 0..255 (PIL's ImageOps.equalize).
func equalize(img *Image) {
	n := len(img.Pix) / 3
	for c := range 3 {
		var hist [256]int
		for i := c; i < len(img.Pix); i += 3 {
			hist[img.Pix[i]]++
		}
		// PIL: step = (n − count of the last non-empty bin) / 255.
		last := 255
		for last > 0 && hist[last] == 0 {
			last--
		}
		step := (n - hist[last]) / 255
		if step == 0 {
			continue
		}
		var lut [256]uint8
		acc := step / 2
		for v := range 256 {
			lut[v] = uint8(min(255, acc/step))
			acc += hist[v]
		}
		for i := c; i < len(img.Pix); i += 3 {
			img.Pix[i] = lut[img.Pix[i]]
		}
	}
}

// posterize keeps the top bits bits of every value (bits in 1..8).
func posterize(img *Image, bits int) {
	mask := uint8(0xff << (8 - max(1, min(8, bits))))
	for i := range img.Pix {
		img.Pix[i] &= mask
	}
}

// solarize inverts every value ≥ threshold.
func solarize(img *Image, threshold float64) {
	for i, v := range img.Pix {
		if float64(v) >= threshold {
			img.Pix[i] = 255 - v
		}
	}
}

// sharpness blends img with its smoothed copy: v ← f·v + (1 − f)·smooth(v),
// smooth being PIL's 3×3 kernel [1 1 1; 1 5 1; 1 1 1]/13 inside the image
// and the identity on its border pixels.
func sharpness(img *Image, f float32) *Image {
	w, h := img.Width, img.Height
	dst := img.Clone()
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			for c := range 3 {
				s := 4 * float32(img.Pix[3*(y*w+x)+c])
				for dy := -1; dy <= 1; dy++ {
					for dx := -1; dx <= 1; dx++ {
						s += float32(img.Pix[3*((y+dy)*w+x+dx)+c])
					}
				}
				v := float32(img.Pix[3*(y*w+x)+c])
				dst.Pix[3*(y*w+x)+c] = clampU8(f*v + (1-f)*s/13)
			}
		}
	}
	return dst
}

// affine returns img warped so that output pixel p (relative to the image
// centre) samples the input at a·p + (tx, ty), a = [a0 a1; a2 a3] row-major,
// bilinearly; points outside the image read gray (128).
func affine(img *Image, a [4]float64, tx, ty float64) *Image {
	w, h := img.Width, img.Height
	cx, cy := float64(w-1)/2, float64(h-1)/2
	dst := NewImage(w, h)
	at := func(x, y, c int) float64 {
		if x < 0 || y < 0 || x >= w || y >= h {
			return 128
		}
		return float64(img.Pix[3*(y*w+x)+c])
	}
	for y := range h {
		for x := range w {
			px, py := float64(x)-cx, float64(y)-cy
			sx := a[0]*px + a[1]*py + tx + cx
			sy := a[2]*px + a[3]*py + ty + cy
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			fx, fy := sx-float64(x0), sy-float64(y0)
			for c := range 3 {
				v := (1-fy)*((1-fx)*at(x0, y0, c)+fx*at(x0+1, y0, c)) + fy*((1-fx)*at(x0, y0+1, c)+fx*at(x0+1, y0+1, c))
				dst.Pix[3*(y*w+x)+c] = clampU8(float32(v))
			}
		}
	}
	return dst
}
