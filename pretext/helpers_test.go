package pretext

import (
	"math"
	"math/rand/v2"
)

// noiseImage is a w×h image of independent uniform random pixels.
func noiseImage(w, h int, seed uint64) *Image {
	rng := rand.New(rand.NewPCG(seed, 1))
	img := NewImage(w, h)
	for i := range img.Pix {
		img.Pix[i] = uint8(rng.IntN(256))
	}
	return img
}

// blobImage is a w×h image of smooth colour gradients plus mild noise: the
// kind of content (regions of similar colour) photographs have.
func blobImage(w, h int, seed uint64) *Image {
	rng := rand.New(rand.NewPCG(seed, 2))
	img := NewImage(w, h)
	var fx, fy, ph [3]float64
	for c := range fx {
		fx[c], fy[c], ph[c] = 1+3*rng.Float64(), 1+3*rng.Float64(), 6.28*rng.Float64()
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			for c := 0; c < 3; c++ {
				v := 128 + 90*math.Sin(fx[c]*float64(x)/float64(w)*3.14+fy[c]*float64(y)/float64(h)*3.14+ph[c]) + 8*rng.NormFloat64()
				img.Pix[3*(y*w+x)+c] = uint8(min(max(v, 0), 255))
			}
		}
	}
	return img
}

func newRNG(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 7)) }

// exactLab is an independent float64 reference for RGBToLab.
func exactLab(r, g, b uint8) (L, A, B float64) {
	lin := func(v uint8) float64 {
		c := float64(v) / 255
		if c <= 0.04045 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	R, G, Bl := lin(r), lin(g), lin(b)
	X := (0.4124564*R + 0.3575761*G + 0.1804375*Bl) / 0.95047
	Y := 0.2126729*R + 0.7151522*G + 0.0721750*Bl
	Z := (0.0193339*R + 0.1191920*G + 0.9503041*Bl) / 1.08883
	f := func(t float64) float64 {
		if t > 216.0/24389 {
			return math.Cbrt(t)
		}
		return (24389.0/27*t + 16) / 116
	}
	return 116*f(Y) - 16, 500 * (f(X) - f(Y)), 200 * (f(Y) - f(Z))
}

// bestMatch finds where the t×t plane (one channel of a tile) occurs in
// channel c of img: the top-left corner maximising the normalised
// cross-correlation, and that correlation.
func bestMatch(img *Image, c int, plane []float32, t int) (bx, by int, best float64) {
	best = -2
	pm, ps := meanStd(plane)
	for y := 0; y+t <= img.Height; y++ {
		for x := 0; x+t <= img.Width; x++ {
			var s, s2, cross float64
			for r := 0; r < t; r++ {
				for q := 0; q < t; q++ {
					v := float64(img.Pix[3*((y+r)*img.Width+x+q)+c])
					s += v
					s2 += v * v
					cross += v * (float64(plane[r*t+q]) - pm)
				}
			}
			n := float64(t * t)
			sd := math.Sqrt(max(s2/n-(s/n)*(s/n), 1e-12))
			ncc := cross / n / sd / ps
			if ncc > best {
				bx, by, best = x, y, ncc
			}
		}
	}
	return
}

func meanStd(p []float32) (mean, std float64) {
	for _, v := range p {
		mean += float64(v)
	}
	mean /= float64(len(p))
	for _, v := range p {
		std += (float64(v) - mean) * (float64(v) - mean)
	}
	return mean, math.Sqrt(std/float64(len(p)) + 1e-12)
}

// testCell is the feature-map cell the tests build tasks for: that of the
// default trunk (nn.DefaultTrunk reduces by 4).
const testCell = 4
