package pretext

import (
	"fmt"
	"math/rand/v2"
)

// tileGrid is the layout shared by jigsaw and context: a size×size image is
// cut into a grid×grid array of cells of side cell = ⌊size/grid⌋ (the array
// placed at a random offset when size is not a multiple of grid), and from
// each cell a tile of side tile = ⌊3·cell/4⌋ is cut at a random position that
// keeps at least margin = max(1, ⌊cell/16⌋) pixels from the cell's borders.
// Neighbouring tiles are therefore separated by a gap of between 2·margin and
// 2·(cell−tile−margin) pixels, so the network cannot solve the task by
// continuing lines or textures across tile edges, and the random position
// (jitter) keeps it from using absolute tile positions.
type tileGrid struct {
	size, grid, cell, tile, margin int
	// shift is the largest per-channel displacement (pixels, each axis):
	// each colour channel of a tile is cut from a slightly different place,
	// which destroys chromatic aberration as a cue to the tile's position.
	shift int
}

func newTileGrid(size, grid int) tileGrid {
	cell := size / grid
	tile := cell * 3 / 4
	if tile < 4 {
		panic(fmt.Sprintf("pretext: image size %d is too small for a %d×%d grid of tiles", size, grid, grid))
	}
	return tileGrid{size: size, grid: grid, cell: cell, tile: tile,
		margin: max(1, cell/16), shift: max(1, tile/16)}
}

// tileLen is the number of floats in one tile: 3·tile².
func (g tileGrid) tileLen() int { return 3 * g.tile * g.tile }

// origin draws the grid's offset in the image (both axes).
func (g tileGrid) origin(rng *rand.Rand) (ox, oy int) {
	slack := g.size - g.grid*g.cell
	return rng.IntN(slack + 1), rng.IntN(slack + 1)
}

// tileCorner draws the top-left corner of the tile cut from cell (cx, cy).
func (g tileGrid) tileCorner(ox, oy, cx, cy int, rng *rand.Rand) (x, y int) {
	span := g.cell - g.tile - 2*g.margin + 1
	jx, jy := g.margin, g.margin
	if span > 1 {
		jx += rng.IntN(span)
		jy += rng.IntN(span)
	}
	return ox + cx*g.cell + jx, oy + cy*g.cell + jy
}

// cut writes the tile×tile tile at (x, y) of img into dst (3·tile², CHW,
// values v/255), each channel c displaced by (dx[c], dy[c]) and clamped to
// the image; when gray is set every channel holds the pixel's gray instead.
// The tile is not yet normalised.
func (g tileGrid) cut(img *Image, x, y int, dx, dy [3]int, gray bool, dst []float32) {
	t, w := g.tile, img.Width
	n := t * t
	for c := 0; c < 3; c++ {
		plane := dst[c*n : (c+1)*n]
		x0 := x + dx[c]
		inside := x0 >= 0 && x0+t <= w
		for r := 0; r < t; r++ {
			sy := min(max(y+r+dy[c], 0), img.Height-1)
			row := img.Pix[3*sy*w : 3*(sy+1)*w]
			out := plane[r*t : (r+1)*t]
			switch {
			case gray:
				for q := range out {
					sx := min(max(x0+q, 0), w-1)
					out[q] = grayValue(row[3*sx], row[3*sx+1], row[3*sx+2]) * (1.0 / 255)
				}
			case inside:
				in := row[3*x0+c : 3*(x0+t-1)+c+1]
				for q := range out {
					out[q] = unitTable[in[3*q]]
				}
			default:
				for q := range out {
					sx := min(max(x0+q, 0), w-1)
					out[q] = unitTable[row[3*sx+c]]
				}
			}
		}
	}
}

// unitTable[v] = v/255.
var unitTable = func() (t [256]float32) {
	for v := range t {
		t[v] = float32(v) / 255
	}
	return
}()

// channelShifts draws independent per-channel displacements in [−shift, shift].
func (g tileGrid) channelShifts(rng *rand.Rand) (dx, dy [3]int) {
	for c := 0; c < 3; c++ {
		dx[c] = rng.IntN(2*g.shift+1) - g.shift
		dy[c] = rng.IntN(2*g.shift+1) - g.shift
	}
	return
}
