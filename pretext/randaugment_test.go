package pretext

import (
	"bytes"
	"testing"
)

// Indices of strongOps, in its order.
const (
	opIdentity = iota
	opAutoContrast
	opEqualize
	opPosterize
	opSolarize
	opBrightness
	opContrast
	opColor
	opSharpness
	opRotate
	opShearX
	opShearY
	opTranslateX
	opTranslateY
)

func TestStrongOpsListIsComplete(t *testing.T) {
	if len(strongOps) != opTranslateY+1 {
		t.Fatalf("StrongAugment has %d operations, the test knows %d", len(strongOps), opTranslateY+1)
	}
}

// At magnitude 0 every operation but the two histogram ones leaves the
// image as it is (f = 1, no shift, 8 bits, threshold 256).
func TestStrongOpsAtZeroMagnitudeAreIdentity(t *testing.T) {
	src := blobImage(16, 16, 1)
	for op := range len(strongOps) {
		if op == opAutoContrast || op == opEqualize {
			continue
		}
		got := strongOps[op](src.Clone(), 0, newRNG(3))
		if !bytes.Equal(got.Pix, src.Pix) {
			t.Errorf("operation %d at magnitude 0 changed the image", op)
		}
	}
}

func TestStrongOpsAtFullMagnitude(t *testing.T) {
	src := blobImage(16, 16, 2)
	tests := []struct {
		name string
		op   int
		want func(v uint8) uint8
	}{
		{"posterize keeps 4 bits", opPosterize, func(v uint8) uint8 { return v & 0xf0 }},
		{"solarize inverts everything", opSolarize, func(v uint8) uint8 { return 255 - v }},
	}
	for _, tt := range tests {
		got := strongOps[tt.op](src.Clone(), 1, newRNG(1))
		for i, v := range src.Pix {
			if got.Pix[i] != tt.want(v) {
				t.Errorf("%s: value %d → %d, want %d", tt.name, v, got.Pix[i], tt.want(v))
				break
			}
		}
	}
}

func TestHistogramOpsStretchToFullRange(t *testing.T) {
	src := NewImage(32, 32) // equalize, as PIL's, needs ≥ 256 pixels to act
	for i := range src.Pix {
		src.Pix[i] = uint8(60 + (i*7)%100) // every channel in [60, 159]
	}
	for _, op := range []int{opAutoContrast, opEqualize} {
		got := strongOps[op](src.Clone(), 0, newRNG(1))
		for c := range 3 {
			lo, hi := uint8(255), uint8(0)
			for i := c; i < len(got.Pix); i += 3 {
				lo, hi = min(lo, got.Pix[i]), max(hi, got.Pix[i])
			}
			if lo > 8 || hi < 247 {
				t.Errorf("operation %d: channel %d spans [%d, %d], want about [0, 255]", op, c, lo, hi)
			}
		}
	}
}

// A translation by ±0.3 of the side moves the content by that many pixels.
func TestTranslateMovesContent(t *testing.T) {
	src := blobImage(20, 20, 3)
	got := strongOps[opTranslateX](src.Clone(), 1, newRNG(5))
	shift := 6 // 0.3 × 20
	match := func(d int) bool {
		for y := range 20 {
			for x := max(0, -d); x < min(20, 20-d); x++ {
				for c := range 3 {
					if got.Pix[3*(y*20+x)+c] != src.Pix[3*(y*20+x+d)+c] {
						return false
					}
				}
			}
		}
		return true
	}
	if !match(shift) && !match(-shift) {
		t.Errorf("translate-x did not move the image by ±%d px", shift)
	}
}

func TestStrongAugmentIsDeterministicAndLeavesInput(t *testing.T) {
	src := blobImage(32, 32, 4)
	orig := src.Clone()
	a := StrongAugment(src, 2, 0.5, newRNG(9))
	b := StrongAugment(src, 2, 0.5, newRNG(9))
	if !bytes.Equal(src.Pix, orig.Pix) {
		t.Fatal("StrongAugment changed its input")
	}
	if a.Width != 32 || a.Height != 32 || !bytes.Equal(a.Pix, b.Pix) {
		t.Fatal("StrongAugment is not deterministic for a seed, or changed the size")
	}
	differ := 0
	for s := range uint64(20) {
		if !bytes.Equal(StrongAugment(src, 2, 0.5, newRNG(s)).Pix, a.Pix) {
			differ++
		}
	}
	if differ < 18 {
		t.Errorf("only %d of 20 seeds gave a different view", differ)
	}
}

func TestCutoutPaintsGraySquare(t *testing.T) {
	tests := []struct{ size, side int }{{32, 16}, {32, 1}, {8, 8}}
	for _, tt := range tests {
		img := NewImage(tt.size, tt.size) // black
		Cutout(img, tt.side, newRNG(uint64(tt.side)))
		gray := 0
		for i := 0; i < len(img.Pix); i += 3 {
			if img.Pix[i] == 128 && img.Pix[i+1] == 128 && img.Pix[i+2] == 128 {
				gray++
			}
		}
		// Clipped at the borders: between a quarter of the square and all of it.
		if full := tt.side * tt.side; gray > full || gray < (tt.side/2)*(tt.side/2) || gray == 0 {
			t.Errorf("cutout of side %d on %d px painted %d gray pixels, want in [%d, %d]", tt.side, tt.size, gray, (tt.side/2)*(tt.side/2), full)
		}
	}
}
