package pretext

import (
	"fmt"
	"math"
)

// Network inputs are CHW float32: channel c of pixel (x, y) of a w×h image is
// at c*w*h + y*w + x. Whole images are normalised per channel with fixed
// statistics (the ImageNet mean and standard deviation of RGB in [0, 1]):
//
//	x[c] = (v/255 − mean[c]) / std[c],  mean = (0.485, 0.456, 0.406),  std = (0.229, 0.224, 0.225),
//
// so inputs are roughly zero-mean and unit-variance. Pretext tasks and the
// downstream classifier use the same ToCHW, so a trunk sees the same input
// distribution in both. Jigsaw and context tiles are instead normalised
// each on its own (NormalizeTile).
var (
	chanMean = [3]float32{0.485, 0.456, 0.406}
	chanStd  = [3]float32{0.229, 0.224, 0.225}
	// normTable[c][v] = (v/255 − mean[c]) / std[c].
	normTable [3][256]float32
)

func init() {
	for c := 0; c < 3; c++ {
		for v := 0; v < 256; v++ {
			normTable[c][v] = (float32(v)/255 - chanMean[c]) / chanStd[c]
		}
	}
}

// ToCHW writes img into dst (length 3·Width·Height) as normalised CHW
// float32 (see the package's normalisation above).
func ToCHW(img *Image, dst []float32) {
	n := img.Width * img.Height
	if len(dst) != 3*n {
		panic(fmt.Sprintf("pretext: ToCHW: dst has length %d, want 3×%d×%d = %d", len(dst), img.Width, img.Height, 3*n))
	}
	r, g, b := dst[:n], dst[n:2*n], dst[2*n:]
	for i := 0; i < n; i++ {
		p := img.Pix[3*i : 3*i+3]
		r[i], g[i], b[i] = normTable[0][p[0]], normTable[1][p[1]], normTable[2][p[2]]
	}
}

// FromCHW inverts ToCHW: it turns a normalised w×h CHW tensor back into an
// image (values rounded and clipped to 0..255).
func FromCHW(x []float32, w, h int) *Image {
	n := w * h
	if len(x) != 3*n {
		panic(fmt.Sprintf("pretext: FromCHW: x has length %d, want 3×%d×%d = %d", len(x), w, h, 3*n))
	}
	img := NewImage(w, h)
	for c := 0; c < 3; c++ {
		for i := 0; i < n; i++ {
			img.Pix[3*i+c] = clampU8(255 * (x[c*n+i]*chanStd[c] + chanMean[c]))
		}
	}
	return img
}

// tileEps is the ε of NormalizeTile: a standard-deviation floor of 0.05
// (of the 0..1 pixel range) so nearly flat tiles (sky, walls) are not blown
// up into unit-variance compression noise.
const tileEps = 0.05 * 0.05

// NormalizeTile normalises a tile of channels planes (x has length
// channels·n, CHW) on its own: each channel's mean is subtracted (removing
// the tile's brightness and colour cast) and the whole tile is divided by
// its standard deviation over all channels, floored:
//
//	x[c,i] ← (x[c,i] − μc) / sqrt(σ² + ε),  σ² = mean over c, i of (x[c,i] − μc)²,  ε = 0.05².
//
// Relative contrast between channels is kept, so colour edges survive.
func NormalizeTile(x []float32, channels int) {
	n := len(x) / channels
	var mean [4]float32
	if channels > len(mean) {
		panic(fmt.Sprintf("pretext: NormalizeTile: %d channels, at most %d", channels, len(mean)))
	}
	var ss float64
	for c := 0; c < channels; c++ {
		var s, s2 float64
		for _, v := range x[c*n : (c+1)*n] {
			s += float64(v)
			s2 += float64(v) * float64(v)
		}
		mu := s / float64(n)
		ss += max(s2-s*mu, 0)
		mean[c] = float32(mu)
	}
	inv := float32(1 / math.Sqrt(ss/float64(len(x))+tileEps))
	for c := 0; c < channels; c++ {
		p, m := x[c*n:(c+1)*n], mean[c]
		for i := range p {
			p[i] = (p[i] - m) * inv
		}
	}
}

// DisplayTile turns a tile normalised by NormalizeTile (3×w×h CHW) into an
// image for display, mapping each value z to 128 + 48·z (clipped): the
// tile's colours as the network saw them, at a fixed contrast.
func DisplayTile(x []float32, w, h int) *Image {
	n := w * h
	if len(x) != 3*n {
		panic(fmt.Sprintf("pretext: DisplayTile: x has length %d, want 3×%d×%d", len(x), w, h))
	}
	img := NewImage(w, h)
	for c := 0; c < 3; c++ {
		for i := 0; i < n; i++ {
			img.Pix[3*i+c] = clampU8(128 + 48*x[c*n+i])
		}
	}
	return img
}
