package insight

import (
	"fmt"
	"math"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// FirstConv is the trunk's first convolution of RGB images (the one
// Filters can draw), nil if it has none.
func FirstConv(t *nn.Trunk) *nn.Conv2D {
	for _, l := range t.Layers {
		if c, ok := l.Layer.(*nn.Conv2D); ok && c.InC == 3 {
			return c
		}
	}
	return nil
}

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

// FilterGrid lays tiles (all k×k, as Filters makes them) out in rows of
// columns, with 1-pixel mid-grey gaps between them and none around the
// edge: the picture is columns·(k+1)−1 pixels wide and rows·(k+1)−1 high
// (columns is capped at the number of tiles).
func FilterGrid(tiles []*pretext.Image, columns int) *pretext.Image {
	if len(tiles) == 0 || columns <= 0 {
		panic(fmt.Sprintf("insight: FilterGrid of %d tiles in %d columns", len(tiles), columns))
	}
	k := tiles[0].Width
	cols := min(columns, len(tiles))
	rows := (len(tiles) + cols - 1) / cols
	grid := pretext.NewImage(cols*(k+1)-1, rows*(k+1)-1)
	for i := range grid.Pix {
		grid.Pix[i] = 128
	}
	for i, tile := range tiles {
		if tile.Width != k || tile.Height != k {
			panic(fmt.Sprintf("insight: FilterGrid tile %d is %d×%d, tile 0 %d×%d", i, tile.Width, tile.Height, k, k))
		}
		x0, y0 := (i%cols)*(k+1), (i/cols)*(k+1)
		for y := range k {
			copy(grid.Pix[3*((y0+y)*grid.Width+x0):], tile.Pix[3*y*k:3*(y+1)*k])
		}
	}
	return grid
}
