package pretext

import (
	"math"
	"sync"
)

// abBins quantises the ab plane of CIE Lab into square bins of side step
// centred on multiples of step (so neutral gray, a = b = 0, is a bin centre),
// covering about [−110, 110]², and keeps only the bins that sRGB colours
// reach (Zhang, Isola & Efros 2016 use step 10 and get 313 bins; a small
// network predicting a few cells does better with fewer classes: step 20
// gives 76, step 25 gives 50, step 30 gives 40).
type abBins struct {
	step    float32
	side    int          // grid bins per axis, 2·half+1
	half    int          // grid bin (half, half) is centred on a = b = 0
	centers [][2]float32 // in-gamut bin centres, one per class
	// class maps every grid bin (row-major, a then b) to a class: its own
	// when in gamut, else the in-gamut bin with the nearest centre.
	class []int
}

const abExtent = 110

var (
	abBinsMu    sync.Mutex
	abBinsCache = map[float32]*abBins{}
)

// binsFor returns the (cached) bins of the given step. A grid bin is in
// gamut when some colour of the sRGB cube, sampled every 3 levels per
// channel plus 255, falls in it (computed with RGBToLab, so deterministic).
func binsFor(step float32) *abBins {
	abBinsMu.Lock()
	defer abBinsMu.Unlock()
	if b, ok := abBinsCache[step]; ok {
		return b
	}
	half := int(math.Ceil(abExtent/float64(step) - 0.5))
	side := 2*half + 1
	b := &abBins{step: step, side: side, half: half, class: make([]int, side*side)}
	hit := make([]bool, side*side)
	levels := []int{}
	for v := 0; v < 255; v += 3 {
		levels = append(levels, v)
	}
	levels = append(levels, 255)
	for _, r := range levels {
		for _, g := range levels {
			for _, bl := range levels {
				_, A, B := RGBToLab(uint8(r), uint8(g), uint8(bl))
				hit[b.gridBin(A, B)] = true
			}
		}
	}
	for i, h := range hit {
		if h {
			b.class[i] = len(b.centers)
			b.centers = append(b.centers, b.gridCenter(i))
		}
	}
	for i, h := range hit {
		if h {
			continue
		}
		c := b.gridCenter(i)
		best, bestD := 0, float32(math.MaxFloat32)
		for k, cc := range b.centers {
			d := (c[0]-cc[0])*(c[0]-cc[0]) + (c[1]-cc[1])*(c[1]-cc[1])
			if d < bestD {
				best, bestD = k, d
			}
		}
		b.class[i] = best
	}
	abBinsCache[step] = b
	return b
}

// gridBin is the row-major grid index of (a, b), clamped to the grid.
func (b *abBins) gridBin(A, B float32) int {
	ia := int(math.Floor(float64(A/b.step)+0.5)) + b.half
	ib := int(math.Floor(float64(B/b.step)+0.5)) + b.half
	ia = min(max(ia, 0), b.side-1)
	ib = min(max(ib, 0), b.side-1)
	return ia*b.side + ib
}

func (b *abBins) gridCenter(i int) [2]float32 {
	ia, ib := i/b.side, i%b.side
	return [2]float32{float32(ia-b.half) * b.step, float32(ib-b.half) * b.step}
}

// classOf is the class of colour (a, b).
func (b *abBins) classOf(A, B float32) int { return b.class[b.gridBin(A, B)] }
