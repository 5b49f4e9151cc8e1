package pretext

import (
	"fmt"
	"math"
	"testing"
)

// cellImage fills each cell of a grid with one random colour (channels in
// [40, 215], well inside the gamut) plus a little noise.
func cellImage(size, grid int, seed uint64) *Image {
	rng := newRNG(seed)
	img := NewImage(size, size)
	cols := make([][3]int, grid*grid)
	for i := range cols {
		cols[i] = [3]int{40 + rng.IntN(176), 40 + rng.IntN(176), 40 + rng.IntN(176)}
	}
	for y := 0; y < size; y++ {
		for x := 0; x < size; x++ {
			col := cols[(y*grid/size)*grid+x*grid/size]
			for c := 0; c < 3; c++ {
				img.Pix[3*(y*size+x)+c] = uint8(col[c] + rng.IntN(9) - 4)
			}
		}
	}
	return img
}

// TestColorizationLabels: the input is the source's lightness, and each
// cell's bin centre lies within half a bin diagonal of the cell's mean ab
// (computed here with the exact float64 formula).
func TestColorizationLabels(t *testing.T) {
	for _, c := range []struct{ size, grid int }{{32, 4}, {32, 8}, {30, 4}, {64, 8}} {
		t.Run(fmt.Sprintf("%d_%d", c.size, c.grid), func(t *testing.T) {
			col := NewColorization(c.size, c.grid)
			img := cellImage(c.size, c.grid, uint64(c.size+c.grid))
			x, y := sampleBuffers(col)
			col.Make(img, newRNG(1), x, y)
			gray := FromCHW(x, c.size, c.size)
			sumA := make([]float64, c.grid*c.grid)
			sumB := make([]float64, c.grid*c.grid)
			cnt := make([]float64, c.grid*c.grid)
			for i := 0; i < c.size*c.size; i++ {
				p := img.Pix[3*i:]
				L, A, B := exactLab(p[0], p[1], p[2])
				gL, _, _ := exactLab(gray.Pix[3*i], gray.Pix[3*i+1], gray.Pix[3*i+2])
				if math.Abs(gL-L) > 0.6 {
					t.Fatalf("pixel %d: input lightness %.2f, source %.2f", i, gL, L)
				}
				px, py := i%c.size, i/c.size
				k := (py*c.grid/c.size)*c.grid + px*c.grid/c.size
				sumA[k] += A
				sumB[k] += B
				cnt[k]++
			}
			step := float64(col.bins.step)
			for k := range cnt {
				a, b := col.BinCenter(y[k])
				d := math.Hypot(float64(a)-sumA[k]/cnt[k], float64(b)-sumB[k]/cnt[k])
				if d > step*math.Sqrt2/2+0.05 {
					t.Errorf("cell %d: mean ab (%.1f, %.1f), bin centre (%.1f, %.1f), %.1f apart", k, sumA[k]/cnt[k], sumB[k]/cnt[k], a, b, d)
				}
			}
			if out := col.Render(x, y, y); out.Width != 3*c.size+8 {
				t.Errorf("render width %d, want %d", out.Width, 3*c.size+8)
			}
		})
	}
}

func TestColorizationBins(t *testing.T) {
	col := NewColorization(32, 4)
	for k := 0; k < col.Classes(); k++ {
		a, b := col.BinCenter(k)
		if col.BinOf(a, b) != k {
			t.Fatalf("BinOf(centre of %d) = %d", k, col.BinOf(a, b))
		}
	}
	// The documented class count, which must be the same on every platform
	// (this test also runs under wasm): a network's head is sized by it.
	if col.Classes() != 76 {
		t.Errorf("bins of 20 give %d classes, documented as 76", col.Classes())
	}
	if coarse := binsFor(30); len(coarse.centers) >= col.Classes() {
		t.Errorf("bins of 30 give %d classes, bins of 20 give %d", len(coarse.centers), col.Classes())
	}
	// Every gray level maps to the neutral bin.
	for v := 0; v < 256; v += 15 {
		_, A, B := RGBToLab(uint8(v), uint8(v), uint8(v))
		if col.BinOf(A, B) != col.BinOf(0, 0) {
			t.Errorf("gray %d has bin %d, not the neutral bin", v, col.BinOf(A, B))
		}
	}
}

func TestDecodeAnnealedMean(t *testing.T) {
	col := NewColorization(32, 4)
	Q := col.Classes()
	probs := make([]float32, 3*Q)
	probs[5] = 1             // position 0: one-hot on class 5
	for q := 0; q < Q; q++ { // position 1: uniform
		probs[Q+q] = 1 / float32(Q)
	}
	probs[2*Q+1], probs[2*Q+2] = 0.6, 0.4 // position 2: two classes
	for _, T := range []float64{1, 0.38, 0.01, 0} {
		ab := col.DecodeAnnealedMean(probs, T)
		a5, b5 := col.BinCenter(5)
		if ab[0] != [2]float32{a5, b5} {
			t.Errorf("T=%g: one-hot decodes to %v, want (%g, %g)", T, ab[0], a5, b5)
		}
		var ma, mb float64
		for q := 0; q < Q; q++ {
			a, b := col.BinCenter(q)
			ma += float64(a) / float64(Q)
			mb += float64(b) / float64(Q)
		}
		if T > 0 && (math.Abs(float64(ab[1][0])-ma) > 1e-3 || math.Abs(float64(ab[1][1])-mb) > 1e-3) {
			t.Errorf("T=%g: uniform decodes to %v, want the mean (%g, %g)", T, ab[1], ma, mb)
		}
		a1, b1 := col.BinCenter(1)
		a2, b2 := col.BinCenter(2)
		w := 1.0
		if T > 0 {
			w = math.Pow(0.6, 1/T) / (math.Pow(0.6, 1/T) + math.Pow(0.4, 1/T))
		}
		wa, wb := w*float64(a1)+(1-w)*float64(a2), w*float64(b1)+(1-w)*float64(b2)
		if math.Abs(float64(ab[2][0])-wa) > 1e-3 || math.Abs(float64(ab[2][1])-wb) > 1e-3 {
			t.Errorf("T=%g: two-class decodes to %v, want (%g, %g)", T, ab[2], wa, wb)
		}
	}
}

func TestRebalanceWeights(t *testing.T) {
	col := NewColorization(32, 4)
	// Mostly gray images, a few colourful ones: gray is common, colours rare.
	var imgs []*Image
	for i := 0; i < 6; i++ {
		imgs = append(imgs, grayImage(32, 32, func(x, y int) uint8 { return uint8(37*x + 11*y + 53*i) }))
	}
	imgs = append(imgs, cellImage(32, 4, 9))
	for _, lambda := range []float64{0, 0.5, 1} {
		w := col.RebalanceWeights(imgs, lambda)
		if len(w) != col.Classes() {
			t.Fatalf("%d weights for %d classes", len(w), col.Classes())
		}
		neutral := col.BinOf(0, 0)
		rare := -1
		y := make([]int, col.Positions())
		col.encode(imgs[6], nil, y)
		for _, k := range y {
			if k != neutral {
				rare = k
				break
			}
		}
		switch {
		case lambda == 1:
			for q, v := range w {
				if math.Abs(float64(v)-1) > 1e-5 {
					t.Fatalf("λ=1: weight %d = %g, want 1", q, v)
				}
			}
		case w[rare] <= w[neutral]:
			t.Errorf("λ=%g: rare bin weight %g ≤ common bin weight %g", lambda, w[rare], w[neutral])
		}
	}
}
