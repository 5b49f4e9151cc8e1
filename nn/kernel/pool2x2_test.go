package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPool2x2MatchesScalar checks the build's MaxPool2x2 against the scalar
// rule bit for bit (maxima and argmax indices), on widths with and without
// tails, odd input sizes, and values drawn from a few levels (including ±0)
// so that every kind of tie occurs.
func TestPool2x2MatchesScalar(t *testing.T) {
	levels := []float32{-1, float32(math.Copysign(0, -1)), 0, 0.5, 2}
	for _, g := range []struct{ h, w int }{
		{2, 2}, {2, 8}, {4, 16}, {32, 32}, {3, 9}, {5, 14}, {6, 10}, {2, 18}, {4, 24},
	} {
		for _, dist := range []string{"levels", "normal"} {
			t.Run(fmt.Sprintf("%dx%d/%s", g.h, g.w, dist), func(t *testing.T) {
				rng := rand.New(rand.NewPCG(5, 6))
				const base = 7 // the plane's offset in the batch
				plane := make([]float32, g.h*g.w)
				for i := range plane {
					if dist == "levels" {
						plane[i] = levels[rng.IntN(len(levels))]
					} else {
						plane[i] = float32(rng.NormFloat64())
					}
				}
				oh, ow := g.h/2, g.w/2
				y, idx := make([]float32, oh*ow), make([]int32, oh*ow)
				wantY, wantIdx := make([]float32, oh*ow), make([]int32, oh*ow)
				MaxPool2x2(plane, g.w, oh, ow, base, y, idx)
				pool2x2Scalar(plane, g.w, oh, ow, base, wantY, wantIdx)
				for i := range y {
					if math.Float32bits(y[i]) != math.Float32bits(wantY[i]) || idx[i] != wantIdx[i] {
						t.Fatalf("output %d: (%g, %d), scalar (%g, %d)", i, y[i], idx[i], wantY[i], wantIdx[i])
					}
					if plane[idx[i]-base] != y[i] {
						t.Fatalf("output %d: argmax %d holds %g, not the maximum %g", i, idx[i], plane[idx[i]-base], y[i])
					}
				}
			})
		}
	}
}
