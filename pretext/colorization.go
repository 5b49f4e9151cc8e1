package pretext

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Colorization is the colorization task (Zhang, Isola & Efros 2016; also
// Larsson et al. 2016): the network sees only the lightness of the image and
// predicts its colours. The input is the gray image with the same CIE
// lightness L* as the source (L replicated to 3 channels, normalised like any
// image by ToCHW), so the trunk transfers to colour images. The target is
// coarse: the image is divided into grid×grid cells, the ab of each cell is
// averaged, and the average is quantised to an ab bin (see abBins): classes
// are the in-gamut bins, one target per cell (Positions = grid²), which the
// network predicts from its final feature map. As in Zhang et al., the loss
// can be rebalanced towards rare, saturated colours (RebalanceWeights) and
// predictions are decoded for display by the annealed mean of the bin
// distribution (DecodeAnnealedMean).
type Colorization struct {
	size, grid int
	bins       *abBins
	cellX      []int // cell column (and row) of each pixel coordinate
}

// The registered colorization predicts one bin of 20 (76 classes) per cell
// of the trunk's feature map: grid = imageSize/cell.
func init() {
	Register(Spec{
		Name: "colorization", Label: "Colorization — predict colours from gray", Rank: 2, Head: PerCell,
		New: func(imageSize, cell int) (Task, error) {
			grid := imageSize / cell
			if grid < 1 {
				return nil, fmt.Errorf("colorization: images of %d px are too small for a trunk that reduces by %d", imageSize, cell)
			}
			return NewColorization(imageSize, grid), nil
		},
	})
}

// colorBinStep is the side of the ab bins: 76 classes (see abBins).
const colorBinStep = 20

// NewColorization returns the colorization task on size×size images with a
// grid×grid target.
func NewColorization(size, grid int) *Colorization {
	if grid < 1 || size < grid || size < 8 {
		panic(fmt.Sprintf("pretext: NewColorization(%d, %d): need 1 ≤ grid ≤ size and size ≥ 8", size, grid))
	}
	c := &Colorization{size: size, grid: grid, bins: binsFor(colorBinStep), cellX: make([]int, size)}
	for i := range c.cellX {
		c.cellX[i] = i * grid / size
	}
	return c
}

func (c *Colorization) Name() string         { return "colorization" }
func (c *Colorization) Classes() int         { return len(c.bins.centers) }
func (c *Colorization) Tiles() int           { return 1 }
func (c *Colorization) TileSize() int        { return c.size }
func (c *Colorization) Positions() int       { return c.grid * c.grid }
func (c *Colorization) SamplesPerImage() int { return 1 }

// Grid is the side of the target grid.
func (c *Colorization) Grid() int { return c.grid }

// BinCenter is the (a, b) colour at the centre of class k's bin.
func (c *Colorization) BinCenter(k int) (a, b float32) {
	ab := c.bins.centers[k]
	return ab[0], ab[1]
}

// BinOf is the class of colour (a, b): its bin, or the nearest in-gamut bin.
func (c *Colorization) BinOf(a, b float32) int { return c.bins.classOf(a, b) }

// ClassName describes class k by its bin centre, e.g. "ab (20, −40)".
func (c *Colorization) ClassName(k int) string {
	a, b := c.BinCenter(k)
	return fmt.Sprintf("ab (%g, %g)", a, b)
}

// Caption counts the cells whose colour bin is right: "5 of 16 cells'
// colours right".
func (c *Colorization) Caption(target, pred []int) string {
	right := 0
	for i := range target {
		if pred[i] == target[i] {
			right++
		}
	}
	return fmt.Sprintf("%d of %d cells' colours right", right, len(target))
}

// Make fits img to size×size (FitSquare) and writes its gray input and the
// ab bin of each grid cell (row-major): y[cy·grid+cx] is the bin of the mean
// ab over the pixels (px, py) with ⌊px·grid/size⌋ = cx, ⌊py·grid/size⌋ = cy.
func (c *Colorization) Make(img *Image, rng *rand.Rand, x []float32, y []int) {
	checkSample(c, x, y, 1)
	c.encode(FitSquare(img, c.size, rng), x, y)
}

// encode writes the gray input (when x != nil) and the cell bins of a
// size×size image.
func (c *Colorization) encode(img *Image, x []float32, y []int) {
	s, g := c.size, c.grid
	n := s * s
	var sumA, sumB [64]float32 // cells, for grids up to 8×8
	var cnt [64]int
	var bigA, bigB []float32
	var bigC []int
	cellA, cellB, cellN := sumA[:], sumB[:], cnt[:]
	if g*g > len(sumA) {
		bigA, bigB, bigC = make([]float32, g*g), make([]float32, g*g), make([]int, g*g)
		cellA, cellB, cellN = bigA, bigB, bigC
	}
	var s0, s1, s2 float32
	if x != nil {
		s0, s1, s2 = 1/(255*chanStd[0]), 1/(255*chanStd[1]), 1/(255*chanStd[2])
	}
	for py := 0; py < s; py++ {
		rowCell := c.cellX[py] * g
		for px := 0; px < s; px++ {
			i := py*s + px
			p := img.Pix[3*i : 3*i+3]
			X, Y, Z := rgbToXYZQ(p[0], p[1], p[2])
			fx, fy, fz := lookupQ(&fTable, X), lookupQ(&fTable, Y), lookupQ(&fTable, Z)
			k := rowCell + c.cellX[px]
			cellA[k] += float32(500 * (fx - fy)) // float32(…): no FMA, same labels everywhere
			cellB[k] += float32(200 * (fy - fz))
			cellN[k]++
			if x != nil {
				gv := lookupQ(&encTable, Y)
				x[i] = gv*s0 - chanMean[0]/chanStd[0]
				x[n+i] = gv*s1 - chanMean[1]/chanStd[1]
				x[2*n+i] = gv*s2 - chanMean[2]/chanStd[2]
			}
		}
	}
	for k := 0; k < g*g; k++ {
		inv := 1 / float32(cellN[k])
		y[k] = c.bins.classOf(cellA[k]*inv, cellB[k]*inv)
	}
}

// RebalanceWeights returns one loss weight per class that favours rare
// colours, from the bin frequencies over images (each fitted to size×size,
// centred). As in Zhang et al. (2016), the empirical distribution p is
// smoothed with a Gaussian of σ = 5 in ab units (p̃), mixed with the uniform
// distribution and inverted:
//
//	w_q ∝ 1 / ((1−λ)·p̃_q + λ/Q),   normalised so that Σ_q p̃_q·w_q = 1,
//
// for Q classes; λ = 1 gives uniform weights, λ = 0.5 is Zhang's choice.
func (c *Colorization) RebalanceWeights(images []*Image, lambda float64) []float32 {
	Q := c.Classes()
	counts := make([]float64, Q)
	y := make([]int, c.Positions())
	total := 0.0
	for _, img := range images {
		c.encode(FitSquare(img, c.size, nil), nil, y)
		for _, k := range y {
			counts[k]++
			total++
		}
	}
	smooth := make([]float64, Q)
	const sigma = 5.0
	for q, cq := range c.bins.centers {
		if counts[q] == 0 {
			continue
		}
		var norm float64
		kern := make([]float64, Q)
		for r, cr := range c.bins.centers {
			da, db := float64(cq[0]-cr[0]), float64(cq[1]-cr[1])
			kern[r] = math.Exp(-(da*da + db*db) / (2 * sigma * sigma))
			norm += kern[r]
		}
		for r := range kern {
			smooth[r] += counts[q] / total * kern[r] / norm
		}
	}
	w := make([]float64, Q)
	var mean float64
	for q := range w {
		w[q] = 1 / ((1-lambda)*smooth[q] + lambda/float64(Q))
		mean += smooth[q] * w[q]
	}
	out := make([]float32, Q)
	for q := range w {
		if mean > 0 {
			out[q] = float32(w[q] / mean)
		} else {
			out[q] = 1
		}
	}
	return out
}

// DecodeAnnealedMean turns predicted bin probabilities (len(probs) =
// positions·Classes(), position-major) into one ab colour per position by
// the annealed mean of Zhang et al. (2016): the distribution is sharpened,
// f_T(z)_q = z_q^(1/T) / Σ_r z_r^(1/T), and the bin centres averaged under
// it. T = 1 is the mean, T → 0 the mode; 0.38 is the paper's choice. T ≤ 0
// returns the mode.
func (c *Colorization) DecodeAnnealedMean(probs []float32, T float64) [][2]float32 {
	Q := c.Classes()
	if len(probs)%Q != 0 {
		panic(fmt.Sprintf("pretext: DecodeAnnealedMean: %d probabilities is not a multiple of %d classes", len(probs), Q))
	}
	out := make([][2]float32, len(probs)/Q)
	for p := range out {
		z := probs[p*Q : (p+1)*Q]
		best := 0
		for q := range z {
			if z[q] > z[best] {
				best = q
			}
		}
		if T <= 0 {
			out[p] = c.bins.centers[best]
			continue
		}
		// Work relative to the largest probability to avoid underflow.
		var sw, sa, sb float64
		for q, v := range z {
			if v <= 0 {
				continue
			}
			w := math.Exp(math.Log(float64(v)/float64(z[best])) / T)
			sw += w
			sa += w * float64(c.bins.centers[q][0])
			sb += w * float64(c.bins.centers[q][1])
		}
		if sw == 0 {
			out[p] = c.bins.centers[best]
			continue
		}
		out[p] = [2]float32{float32(sa / sw), float32(sb / sw)}
	}
	return out
}

// Render shows the gray input, the colours of the predicted bins (when pred
// is given) and the colours of the true bins, side by side. Colours are the
// input's lightness with the cells' ab interpolated bilinearly between cell
// centres, so the rightmost panel is the target as the network learns it
// (the source's colours at the grid's resolution).
func (c *Colorization) Render(x []float32, y []int, pred []int) *Image {
	checkSample(c, x, y, 1)
	panels := []*Image{FromCHW(x, c.size, c.size)}
	if pred != nil {
		panels = append(panels, c.RenderAB(x, c.binColors(pred)))
	}
	if y != nil {
		panels = append(panels, c.RenderAB(x, c.binColors(y)))
	}
	return sideBySide(4, panels...)
}

func (c *Colorization) binColors(bins []int) [][2]float32 {
	ab := make([][2]float32, len(bins))
	for i, k := range bins {
		ab[i] = c.bins.centers[k]
	}
	return ab
}

// RenderAB colours the gray input x with one ab per grid cell (row-major,
// e.g. from DecodeAnnealedMean), interpolated bilinearly between cell centres.
func (c *Colorization) RenderAB(x []float32, ab [][2]float32) *Image {
	s, g := c.size, c.grid
	if len(ab) != g*g {
		panic(fmt.Sprintf("pretext: RenderAB: %d colours for a %d×%d grid", len(ab), g, g))
	}
	img := NewImage(s, s)
	coord := func(p int) (int, int, float32) {
		u := (float32(p)+0.5)*float32(g)/float32(s) - 0.5
		u = min(max(u, 0), float32(g-1))
		i0 := int(u)
		i1 := min(i0+1, g-1)
		return i0, i1, u - float32(i0)
	}
	for py := 0; py < s; py++ {
		y0, y1, fy := coord(py)
		for px := 0; px < s; px++ {
			x0, x1, fx := coord(px)
			var a, b float32
			for _, t := range [4]struct {
				cell int
				w    float32
			}{{y0*g + x0, (1 - fx) * (1 - fy)}, {y0*g + x1, fx * (1 - fy)}, {y1*g + x0, (1 - fx) * fy}, {y1*g + x1, fx * fy}} {
				a += t.w * ab[t.cell][0]
				b += t.w * ab[t.cell][1]
			}
			gv := 255 * (x[py*s+px]*chanStd[0] + chanMean[0])
			Y := srgbToLinear(math.Min(math.Max(float64(gv)/255, 0), 1))
			L := float32(116*labF(Y) - 16)
			p := img.Pix[3*(py*s+px):]
			p[0], p[1], p[2] = LabToRGB(L, a, b)
		}
	}
	return img
}
