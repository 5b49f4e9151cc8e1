package pretext

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Jigsaw is the jigsaw-puzzle task (Noroozi & Favaro 2016): the image is cut
// into grid×grid tiles (see tileGrid for the gaps and jitter), the tiles are
// shuffled by one permutation of a fixed set, and the network names the
// permutation. Each tile goes through the shared trunk on its own and a head
// classifies the concatenated features, so the trunk learns from single
// tiles and transfers to whole images.
//
// Shortcuts it closes: gaps and jitter between tiles (no edge continuity,
// no absolute position); each tile normalised on its own (no
// brightness or colour-cast matching); the whole puzzle turned gray with
// probability GrayProb, and each colour channel of each tile cut with its own
// displacement of up to ChannelShift pixels (no chromatic aberration, which
// otherwise tells a tile's distance from the lens centre).
type Jigsaw struct {
	Set *PermutationSet // the classes
	// GrayProb is the probability that a puzzle is made from the gray image
	// (default 0.3).
	GrayProb float64
	// ChannelShift is the largest per-channel displacement in pixels
	// (default max(1, tile/16)); 0 disables it.
	ChannelShift int
	g            tileGrid
}

// DefaultPermutationSeed is the seed of the permutation sets of the
// registered jigsaw task.
const DefaultPermutationSeed = 1

// The registered jigsaw: a 2×2 grid with all 24 permutations below 64 px
// (upsampled to 32 px), a 3×3 grid with 100 permutations from 64 px (tiles
// of 15 px and up).
func init() {
	Register(Spec{
		Name: "jigsaw", Label: "Jigsaw — put shuffled tiles back in order", Rank: 1, Head: TileSet,
		New: func(imageSize, _ int) (Task, error) {
			if imageSize < 64 {
				return NewJigsaw(imageSize, 2, 24, DefaultPermutationSeed), nil
			}
			return NewJigsaw(imageSize, 3, 100, DefaultPermutationSeed), nil
		},
	})
}

// NewJigsaw returns the jigsaw task on imageSize×imageSize images with a
// grid×grid puzzle and a set of permutations permutation classes chosen with
// the seed (see Permutations). Tiles are ⌊3/4·⌊imageSize/grid⌋⌋ pixels: 12
// for 32-pixel images and a 2×2 grid, 15 for 64 and 3×3, 24 for 96 and 3×3.
// Images too small for 12-pixel tiles (under 32 px for 2×2, 48 px for 3×3)
// are upsampled to that working size first (slower: avoid such sizes).
func NewJigsaw(imageSize, grid, permutations int, seed uint64) *Jigsaw {
	if grid < 2 || grid > 3 {
		panic(fmt.Sprintf("pretext: NewJigsaw: grid %d must be 2 or 3", grid))
	}
	if imageSize < 8 {
		panic(fmt.Sprintf("pretext: NewJigsaw: image size %d must be at least 8", imageSize))
	}
	g := newTileGrid(max(imageSize, 16*grid), grid)
	return &Jigsaw{Set: Permutations(grid*grid, permutations, seed), GrayProb: 0.3, ChannelShift: g.shift, g: g}
}

func (j *Jigsaw) Name() string         { return "jigsaw" }
func (j *Jigsaw) Classes() int         { return len(j.Set.Perms) }
func (j *Jigsaw) Tiles() int           { return j.g.grid * j.g.grid }
func (j *Jigsaw) TileSize() int        { return j.g.tile }
func (j *Jigsaw) Positions() int       { return 1 }
func (j *Jigsaw) SamplesPerImage() int { return 1 }

// Grid is the side of the puzzle in tiles.
func (j *Jigsaw) Grid() int { return j.g.grid }

// Permutation returns class k's permutation: input slot i holds the tile of
// grid cell p[i] (cells numbered row by row from the top left).
func (j *Jigsaw) Permutation(k int) []int {
	p := make([]int, j.g.grid*j.g.grid)
	for i, v := range j.Set.Perms[k] {
		p[i] = int(v)
	}
	return p
}

// WorkingSize is the side the image is resized to before tiles are cut.
func (j *Jigsaw) WorkingSize() int { return j.g.size }

// ClassName describes class k by its permutation, e.g. "#7 (2 0 3 1)":
// slot i of the puzzle holds the tile of cell p[i].
func (j *Jigsaw) ClassName(k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d (", k)
	for i, v := range j.Set.Perms[k] {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, v)
	}
	b.WriteByte(')')
	return b.String()
}

// Caption is "tiles put back in order (permutation #7)" for a right answer,
// else "wrong order: predicted permutation #3, true #7".
func (j *Jigsaw) Caption(target, pred []int) string {
	if pred[0] == target[0] {
		return fmt.Sprintf("tiles put back in order (permutation #%d)", target[0])
	}
	return fmt.Sprintf("wrong order: predicted permutation #%d, true #%d", pred[0], target[0])
}

// Make fits img to the working size (FitSquare), draws a class uniformly and
// writes the puzzle: slot i of x is the tile cut from cell Perms[class][i].
func (j *Jigsaw) Make(img *Image, rng *rand.Rand, x []float32, y []int) {
	checkSample(j, x, y, 1)
	g := j.g
	g.shift = j.ChannelShift
	img = FitSquare(img, g.size, rng)
	ox, oy := g.origin(rng)
	gray := rng.Float64() < j.GrayProb
	label := rng.IntN(len(j.Set.Perms))
	tl := g.tileLen()
	for i, cell := range j.Set.Perms[label] {
		cx, cy := int(cell)%g.grid, int(cell)/g.grid
		tx, ty := g.tileCorner(ox, oy, cx, cy, rng)
		var dx, dy [3]int
		if g.shift > 0 {
			dx, dy = g.channelShifts(rng)
		}
		dst := x[i*tl : (i+1)*tl]
		g.cut(img, tx, ty, dx, dy, gray, dst)
		NormalizeTile(dst, 3)
	}
	y[0] = label
}

// Render shows the shuffled tiles in the grid (slot i at row i/grid, column
// i%grid); when pred is given, beside them the tiles put back by the
// predicted permutation (a correct prediction reassembles the image).
func (j *Jigsaw) Render(x []float32, y []int, pred []int) *Image {
	checkSample(j, x, y, 1)
	g := j.g
	tl := g.tileLen()
	panel := func(place func(slot int) int) *Image {
		c := canvas(g.grid*(g.tile+1)-1, g.grid*(g.tile+1)-1)
		for i := 0; i < g.grid*g.grid; i++ {
			at := place(i)
			c.Paste(DisplayTile(x[i*tl:(i+1)*tl], g.tile, g.tile), (at%g.grid)*(g.tile+1), (at/g.grid)*(g.tile+1))
		}
		return c
	}
	shuffled := panel(func(slot int) int { return slot })
	if pred == nil {
		return shuffled
	}
	p := j.Set.Perms[pred[0]]
	return sideBySide(4, shuffled, panel(func(slot int) int { return int(p[slot]) }))
}
