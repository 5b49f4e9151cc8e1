package insight

import (
	"fmt"
	"math"

	"github.com/tessera-ssl/tessera/pretext"
)

// Filters draws the filters of an RGB convolution as pictures: w is its
// weight in OIHW order, (outC, 3, k, k), and filter o becomes a k×k image
// whose pixel (y, x) has channel c = 128 + 127·w[o,c,y,x] / max|w[o]|,
// so zero is mid-grey, the filter's strongest weight is full intensity,
// and every filter uses the whole range whatever its norm. An all-zero
// filter is uniformly grey.
func Filters(w []float32, outC, inC, k int) []*pretext.Image {
	if inC != 3 {
		panic(fmt.Sprintf("insight: Filters of %d input channels; only RGB (3) can be drawn", inC))
	}
	if outC <= 0 || k <= 0 || len(w) != outC*inC*k*k {
		panic(fmt.Sprintf("insight: Filters weight of %d values for shape (%d, %d, %d, %d)", len(w), outC, inC, k, k))
	}
	per := inC * k * k
	out := make([]*pretext.Image, outC)
	for o := range outC {
		f := w[o*per : (o+1)*per]
		var peak float64
		for _, v := range f {
			peak = math.Max(peak, math.Abs(float64(v)))
		}
		img := pretext.NewImage(k, k)
		for c := range inC {
			for y := range k {
				for x := range k {
					v := 128.0
					if peak > 0 {
						v += 127 * float64(f[(c*k+y)*k+x]) / peak
					}
					img.Pix[3*(y*k+x)+c] = uint8(math.Round(v))
				}
			}
		}
		out[o] = img
	}
	return out
}
