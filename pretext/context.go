package pretext

import (
	"fmt"
	"math/rand/v2"
)

// Context is the relative-patch-position task (Doersch, Gupta & Efros 2015):
// from a 3×3 grid of cells a patch is cut from the centre cell and one from
// one of its 8 neighbours; both go through the shared trunk and the network
// names where the second patch lies relative to the first (8 classes, the
// neighbour cells of contextCells, named by ClassName).
//
// Patches use the jigsaw layout (tileGrid): a gap and random jitter between
// them (no edge continuity, no exact positions). With ColorDrop (the
// default, as in the paper), each patch keeps one random colour channel and
// the other two are replaced by faint noise (1/100 of its standard
// deviation), which removes chromatic aberration — the cue Doersch et al.
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

func init() {
	Register(Spec{
		Name: "context", Label: "Relative position — where is the neighbour patch?", Rank: 3, Head: TileSet,
		New: func(imageSize, _ int) (Task, error) { return NewContext(imageSize), nil },
	})
}

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

// contextNames are the classes' names, in contextCells' order.
var contextNames = [8]string{"top left", "top", "top right", "left", "right", "bottom left", "bottom", "bottom right"}

// ClassName describes class k: where the second patch lies relative to the
// centre patch ("top left", "top", …, "bottom right").
func (c *Context) ClassName(k int) string { return contextNames[k] }

// Caption is "predicted top left, true top".
func (c *Context) Caption(target, pred []int) string { return predictedCaption(c, target, pred) }

// Make fits img to imageSize×imageSize (FitSquare), draws a class uniformly
// and writes tile 0 = the centre patch, tile 1 = the neighbour patch. When
// the working size is larger than the image, patch pixels are sampled
// bilinearly from the image (as if it had been upsampled with Resize, without
// upsampling the whole image).
func (c *Context) Make(img *Image, rng *rand.Rand, x []float32, y []int) {
	checkSample(c, x, y, 1)
	g := c.g
	img = FitSquare(img, c.imageSize, rng)
	scale := float32(c.imageSize) / float32(g.size)
	ox, oy := g.origin(rng)
	label := rng.IntN(8)
	tl, n := g.tileLen(), g.tile*g.tile
	for i, cell := range [2][2]int{{1, 1}, contextCells[label]} {
		tx, ty := g.tileCorner(ox, oy, cell[0], cell[1], rng)
		dst := x[i*tl : (i+1)*tl]
		if c.ColorDrop {
			keep := rng.IntN(3)
			plane := dst[keep*n : (keep+1)*n]
			samplePlane(img, scale, tx, ty, g.tile, keep, plane)
			NormalizeTile(plane, 1)
			for ch := 0; ch < 3; ch++ {
				if ch != keep {
					fillNoise(dst[ch*n:(ch+1)*n], rng)
				}
			}
		} else {
			dx, dy := g.channelShifts(rng)
			for ch := 0; ch < 3; ch++ {
				samplePlane(img, scale, tx+dx[ch], ty+dy[ch], g.tile, ch, dst[ch*n:(ch+1)*n])
			}
			NormalizeTile(dst, 3)
		}
	}
	y[0] = label
}

// samplePlane writes channel c (as v/255) of the t×t tile whose top-left
// corner is (x, y) in working coordinates into out. Working pixel X maps to
// image coordinate (X+½)·scale − ½ (Resize's bilinear convention),
// interpolated bilinearly and clamped at the borders; scale 1 reads pixels
// directly.
func samplePlane(img *Image, scale float32, x, y, t, c int, out []float32) {
	w, h := img.Width, img.Height
	if scale == 1 {
		for r := 0; r < t; r++ {
			sy := min(max(y+r, 0), h-1)
			for q := 0; q < t; q++ {
				sx := min(max(x+q, 0), w-1)
				out[r*t+q] = unitTable[img.Pix[3*(sy*w+sx)+c]]
			}
		}
		return
	}
	var x0, x1 [64]int
	var fx [64]float32
	if t > len(x0) {
		panic("pretext: samplePlane: tile larger than 64")
	}
	axis := func(p, size int) (int, int, float32) {
		u := (float32(p)+0.5)*scale - 0.5
		u = min(max(u, 0), float32(size-1))
		i := int(u)
		return i, min(i+1, size-1), u - float32(i)
	}
	for q := 0; q < t; q++ {
		x0[q], x1[q], fx[q] = axis(x+q, w)
	}
	for r := 0; r < t; r++ {
		y0, y1, fy := axis(y+r, h)
		row0, row1 := img.Pix[3*y0*w:3*(y0+1)*w], img.Pix[3*y1*w:3*(y1+1)*w]
		for q := 0; q < t; q++ {
			a := unitTable[row0[3*x0[q]+c]] + fx[q]*(unitTable[row0[3*x1[q]+c]]-unitTable[row0[3*x0[q]+c]])
			b := unitTable[row1[3*x0[q]+c]] + fx[q]*(unitTable[row1[3*x1[q]+c]]-unitTable[row1[3*x0[q]+c]])
			out[r*t+q] = a + fy*(b-a)
		}
	}
}

// fillNoise fills p with uniform noise of mean 0 and standard deviation
// 0.01 (the paper uses Gaussian noise; at this amplitude the shape of the
// distribution carries no signal, and uniform noise is much cheaper).
func fillNoise(p []float32, rng *rand.Rand) {
	const amp = 0.01 * 3.4641016 / 65536 // std 0.01: uniform on ±0.01·√3
	for i := 0; i < len(p); i += 4 {
		u := rng.Uint64()
		for j := 0; j < 4 && i+j < len(p); j++ {
			p[i+j] = (float32(u>>(16*j)&0xffff) - 32767.5) * amp
		}
	}
}

// displayPatch is DisplayTile, except that a colour-dropped patch (one
// channel with signal, two with faint noise) is shown in gray from its kept
// channel, which is easier to read than a single-channel tint.
func displayPatch(x []float32, t int) *Image {
	n := t * t
	keep, kept := -1, 0
	for c := 0; c < 3; c++ {
		var ss float32
		for _, v := range x[c*n : (c+1)*n] {
			ss += v * v
		}
		if ss > 0.01*float32(n) { // std above 0.1
			keep, kept = c, kept+1
		}
	}
	if kept != 1 {
		return DisplayTile(x, t, t)
	}
	img := NewImage(t, t)
	for i, v := range x[keep*n : (keep+1)*n] {
		g := clampU8(128 + 48*v)
		img.Pix[3*i], img.Pix[3*i+1], img.Pix[3*i+2] = g, g, g
	}
	return img
}

// Render places the two patches in a 3×3 layout (colour-dropped patches in
// gray): the centre patch in the middle, the other patch in its true cell; when pred is given, a second
// layout beside it shows the patch where the network put it.
func (c *Context) Render(x []float32, y []int, pred []int) *Image {
	checkSample(c, x, y, 1)
	g := c.g
	tl := g.tileLen()
	centre := displayPatch(x[:tl], g.tile)
	other := displayPatch(x[tl:2*tl], g.tile)
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
