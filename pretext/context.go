package pretext

import (
	"fmt"
	"math/rand/v2"
)

// Context is the relative-patch-position task (Doersch, Gupta & Efros 2015):
// from a 3×3 grid of cells a patch is cut from the centre cell and one from
// one of its 8 neighbours; both go through the shared trunk and the network
// names where the second patch lies relative to the first (8 classes, see
// ContextOffset).
//
// Patches use the jigsaw layout (tileGrid): a gap and random jitter between
// them (no edge continuity, no exact positions). With ColorDrop (the
// default, as in the paper), each patch keeps one random colour channel and
// the other two are replaced by Gaussian noise of 1/100 of its standard
// deviation, which removes chromatic aberration — the cue Doersch et al.
// found the network exploiting. Without it, the patch keeps its colours but
// each channel is cut with its own small displacement. Each patch is
// normalised on its own.
//
// Patches are ⌊3/4·⌊W/3⌋⌋ pixels for a working size W. When the image size
// would give patches under 12 pixels (images under 48 pixels), the image is
// upsampled (bilinear) to W = 48 first, so patches are 12 pixels.
type Context struct {
	ColorDrop bool
	imageSize int
	g         tileGrid
}

// contextMinPatch is the smallest patch side the trunk should see.
const contextMinPatch = 12

// NewContext returns the relative-position task for imageSize×imageSize images.
func NewContext(imageSize int) *Context {
	if imageSize < 8 {
		panic(fmt.Sprintf("pretext: NewContext(%d): size must be at least 8", imageSize))
	}
	work := imageSize
	if (work/3)*3/4 < contextMinPatch {
		work = 48
	}
	return &Context{ColorDrop: true, imageSize: imageSize, g: newTileGrid(work, 3)}
}

func (c *Context) Name() string         { return "context" }
func (c *Context) Classes() int         { return 8 }
func (c *Context) Tiles() int           { return 2 }
func (c *Context) TileSize() int        { return c.g.tile }
func (c *Context) Positions() int       { return 1 }
func (c *Context) SamplesPerImage() int { return 1 }

// WorkingSize is the side the image is resized to before patches are cut.
func (c *Context) WorkingSize() int { return c.g.size }

// contextCells lists the neighbour cells (column, row) of classes 0..7, in
// reading order around the centre cell (1, 1).
var contextCells = [8][2]int{{0, 0}, {1, 0}, {2, 0}, {0, 1}, {2, 1}, {0, 2}, {1, 2}, {2, 2}}

// ContextOffset is the grid offset (dx, dy), each in {−1, 0, 1}, of class
// k's neighbour relative to the centre patch (dy = −1 is above).
func ContextOffset(k int) (dx, dy int) {
	return contextCells[k][0] - 1, contextCells[k][1] - 1
}

// Make fits img to the working size, draws a class uniformly and writes tile
// 0 = the centre patch, tile 1 = the neighbour patch.
func (c *Context) Make(img *Image, rng *rand.Rand, x []float32, y []int) {
	checkSample(c, x, y, 1)
	g := c.g
	img = FitSquare(img, g.size, rng)
	ox, oy := g.origin(rng)
	label := rng.IntN(8)
	tl := g.tileLen()
	for i, cell := range [2][2]int{{1, 1}, contextCells[label]} {
		tx, ty := g.tileCorner(ox, oy, cell[0], cell[1], rng)
		dst := x[i*tl : (i+1)*tl]
		if c.ColorDrop {
			g.cut(img, tx, ty, [3]int{}, [3]int{}, false, dst)
			dropColors(dst, rng)
		} else {
			dx, dy := g.channelShifts(rng)
			g.cut(img, tx, ty, dx, dy, false, dst)
			NormalizeTile(dst, 3)
		}
	}
	y[0] = label
}

// dropColors keeps one random channel of the 3-channel tile x, normalised
// to zero mean and unit variance, and fills the other two with Gaussian
// noise of standard deviation 0.01.
func dropColors(x []float32, rng *rand.Rand) {
	n := len(x) / 3
	keep := rng.IntN(3)
	NormalizeTile(x[keep*n:(keep+1)*n], 1)
	for ch := 0; ch < 3; ch++ {
		if ch == keep {
			continue
		}
		p := x[ch*n : (ch+1)*n]
		for i := range p {
			p[i] = float32(0.01 * rng.NormFloat64())
		}
	}
}

// Render places the two patches in a 3×3 layout: the centre patch in the
// middle, the other patch in its true cell; when pred is given, a second
// layout beside it shows the patch where the network put it.
func (c *Context) Render(x []float32, y []int, pred []int) *Image {
	checkSample(c, x, y, 1)
	g := c.g
	tl := g.tileLen()
	centre := DisplayTile(x[:tl], g.tile, g.tile)
	other := DisplayTile(x[tl:2*tl], g.tile, g.tile)
	layout := func(k int) *Image {
		side := 3*(g.tile+2) - 2
		cv := canvas(side, side)
		cv.Paste(centre, g.tile+2, g.tile+2)
		if k >= 0 && k < 8 {
			cell := contextCells[k]
			cv.Paste(other, cell[0]*(g.tile+2), cell[1]*(g.tile+2))
		}
		return cv
	}
	truth := -1
	if y != nil {
		truth = y[0]
	}
	if pred == nil {
		return layout(truth)
	}
	return sideBySide(4, layout(truth), layout(pred[0]))
}
