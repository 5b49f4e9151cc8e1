package trainer

import (
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/train/insight"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// filterColumns is how many filters a row of the Filters grid holds.
const filterColumns = 8

// filtersOf draws the trunk's first convolution (insight.Filters) as one
// grid picture (insight.FilterGrid, filterColumns a row). Nil if the trunk
// has no RGB convolution.
func filtersOf(t *nn.Trunk, step int) *protocol.Filters {
	c := insight.FirstConv(t)
	if c == nil {
		return nil
	}
	tiles := insight.Filters(c.Weight.Value, c.OutC, c.InC, c.K)
	grid := insight.FilterGrid(tiles, filterColumns)
	return &protocol.Filters{Step: step, Count: len(tiles), Size: c.K, Columns: min(filterColumns, len(tiles)), PNG: encodePNG(grid)}
}
