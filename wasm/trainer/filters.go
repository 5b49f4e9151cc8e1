package trainer

import (
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train/insight"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// filterColumns is how many filters a row of the Filters grid holds.
const filterColumns = 8

// firstConv is the trunk's first convolution of RGB images, nil if it has
// none.
func firstConv(t *nn.Trunk) *nn.Conv2D {
	for _, l := range t.Layers {
		if c, ok := l.Layer.(*nn.Conv2D); ok && c.InC == 3 {
			return c
		}
	}
	return nil
}

// filtersOf draws the trunk's first convolution (insight.Filters) as one
// grid picture: Columns filters a row, each Size×Size pixels, with 1-pixel
// mid-grey gaps between them (none around the edge), so the picture is
// Columns·(Size+1)−1 pixels wide and Rows·(Size+1)−1 high. Nil if the
// trunk has no RGB convolution.
func filtersOf(t *nn.Trunk, step int) *protocol.Filters {
	c := firstConv(t)
	if c == nil {
		return nil
	}
	tiles := insight.Filters(c.Weight.Value, c.OutC, c.InC, c.K)
	cols := min(filterColumns, len(tiles))
	rows := (len(tiles) + cols - 1) / cols
	k := c.K
	grid := pretext.NewImage(cols*(k+1)-1, rows*(k+1)-1)
	for i := range grid.Pix {
		grid.Pix[i] = 128
	}
	for i, tile := range tiles {
		x0, y0 := (i%cols)*(k+1), (i/cols)*(k+1)
		for y := range k {
			copy(grid.Pix[3*((y0+y)*grid.Width+x0):], tile.Pix[3*y*k:3*(y+1)*k])
		}
	}
	return &protocol.Filters{Step: step, Count: len(tiles), Size: k, Columns: cols, PNG: encodePNG(grid)}
}
