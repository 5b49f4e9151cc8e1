package pretext

import (
	"bytes"
	"image"
	"math"
	"testing"
)

func TestRotate90(t *testing.T) {
	img := noiseImage(7, 5, 1)
	for k := -4; k <= 4; k++ {
		r := img.Rotate90(k)
		if k%2 != 0 && (r.Width != 5 || r.Height != 7) {
			t.Fatalf("k=%d: size %d×%d, want 5×7", k, r.Width, r.Height)
		}
		if !bytes.Equal(r.Rotate90(-k).Pix, img.Pix) {
			t.Errorf("k=%d: rotating back does not recover the image", k)
		}
	}
	// A counter-clockwise quarter turn moves the top-right corner to the top left.
	if got, want := img.Rotate90(1).At(0, 0), img.At(6, 0); got != want {
		t.Errorf("Rotate90(1) top-left = %v, want source top-right %v", got, want)
	}
	r4 := img
	for i := 0; i < 4; i++ {
		r4 = r4.Rotate90(1)
	}
	if !bytes.Equal(r4.Pix, img.Pix) {
		t.Error("four quarter turns are not the identity")
	}
}

func TestHorizontalFlip(t *testing.T) {
	img := noiseImage(9, 4, 2)
	f := HorizontalFlip(img)
	if f.At(0, 3) != img.At(8, 3) {
		t.Error("flip does not mirror columns")
	}
	if !bytes.Equal(HorizontalFlip(f).Pix, img.Pix) {
		t.Error("flipping twice is not the identity")
	}
}

func TestLab(t *testing.T) {
	rng := newRNG(4)
	maxErr, maxRound := 0.0, 0
	for i := 0; i < 3000; i++ {
		r, g, b := uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))
		if i < 8 { // the cube's corners
			r, g, b = uint8(255*(i&1)), uint8(255*(i>>1&1)), uint8(255*(i>>2&1))
		}
		L, A, B := RGBToLab(r, g, b)
		eL, eA, eB := exactLab(r, g, b)
		maxErr = max(maxErr, math.Abs(float64(L)-eL), math.Abs(float64(A)-eA), math.Abs(float64(B)-eB))
		r2, g2, b2 := LabToRGB(L, A, B)
		maxRound = max(maxRound, absInt(int(r2)-int(r)), absInt(int(g2)-int(g)), absInt(int(b2)-int(b)))
	}
	if maxErr > 0.02 {
		t.Errorf("RGBToLab differs from the exact formula by up to %.4f", maxErr)
	}
	if maxRound > 1 {
		t.Errorf("RGB → Lab → RGB changes a channel by up to %d levels", maxRound)
	}
	if L, A, B := RGBToLab(255, 255, 255); math.Abs(float64(L)-100) > 0.01 || math.Abs(float64(A)) > 0.01 || math.Abs(float64(B)) > 0.01 {
		t.Errorf("white is Lab(%g, %g, %g), want (100, 0, 0)", L, A, B)
	}
}

func absInt(v int) int { return max(v, -v) }

// TestGrayValue: the gray of a pixel (as the jigsaw's gray puzzles use it)
// has the pixel's CIE lightness L* and no colour.
func TestGrayValue(t *testing.T) {
	img := noiseImage(10, 10, 6)
	for i := 0; i < len(img.Pix); i += 3 {
		L, _, _ := RGBToLab(img.Pix[i], img.Pix[i+1], img.Pix[i+2])
		g := clampU8(grayValue(img.Pix[i], img.Pix[i+1], img.Pix[i+2]))
		gL, gA, gB := exactLab(g, g, g)
		// One gray level is at most ~0.5 L* (near black, where sRGB is steepest, more).
		if math.Abs(gL-float64(L)) > 0.6 || math.Abs(gA) > 0.01 || math.Abs(gB) > 0.01 {
			t.Fatalf("gray of L*=%.2f has Lab(%.2f, %.2f, %.2f)", L, gL, gA, gB)
		}
	}
}

func TestCHW(t *testing.T) {
	img := noiseImage(6, 4, 7)
	x := make([]float32, 3*6*4)
	ToCHW(img, x)
	if !bytes.Equal(FromCHW(x, 6, 4).Pix, img.Pix) {
		t.Error("FromCHW(ToCHW(img)) != img")
	}
	// Channel 1 (green) has the ImageNet mean 0.456 and standard deviation 0.224.
	if v := img.Pix[3*(2*6+5)+1]; math.Abs(float64(x[24+2*6+5]-(float32(v)/255-0.456)/0.224)) > 1e-6 {
		t.Error("ToCHW does not put channel 1 of pixel (5, 2) at 1·24 + 2·6 + 5")
	}
	NormalizeTile(x, 3)
	var total float64
	for c := 0; c < 3; c++ {
		m, s := meanStd(x[c*24 : (c+1)*24])
		total += s * s
		if math.Abs(m) > 1e-5 {
			t.Errorf("channel %d after NormalizeTile: mean %g", c, m)
		}
	}
	// Noise has σ ≈ 0.29 ≫ 0.05, so the floor hardly matters: overall std ≈ 1.
	if s := math.Sqrt(total / 3); math.Abs(s-1) > 0.02 {
		t.Errorf("tile std after NormalizeTile %g, want ≈ 1", s)
	}
	// A flat tile stays zero; a faint one is not blown up to unit variance.
	faint := make([]float32, 3*100)
	for i := range faint {
		faint[i] = 0.5 + 0.005*float32(i%2)
	}
	NormalizeTile(faint, 3)
	if _, s := meanStd(faint); s > 0.1 {
		t.Errorf("faint tile std after NormalizeTile %g, want ≤ 0.1 (floored)", s)
	}
}

func TestToStd(t *testing.T) {
	img := noiseImage(5, 3, 8)
	std := img.ToStd()
	if std.Bounds() != image.Rect(0, 0, 5, 3) {
		t.Fatalf("ToStd bounds %v, want (0,0)-(5,3)", std.Bounds())
	}
	for y := 0; y < 3; y++ {
		for x := 0; x < 5; x++ {
			if got, want := std.RGBAAt(x, y), img.At(x, y); got != want || want.A != 255 {
				t.Fatalf("ToStd pixel (%d, %d) = %v, want opaque %v", x, y, got, want)
			}
		}
	}
}

func TestAugmentations(t *testing.T) {
	img := noiseImage(20, 16, 9)
	t.Run("crop-pad", func(t *testing.T) {
		rng := newRNG(1)
		for i := 0; i < 20; i++ {
			c := RandomCropPad(img, 16, 4, rng)
			found := false
			for oy := -4; oy <= 4 && !found; oy++ {
				for ox := -4; ox <= 8 && !found; ox++ {
					found = isWindow(img, c, ox, oy)
				}
			}
			if !found {
				t.Fatal("crop is not a window of the padded image")
			}
		}
	})
}

// isWindow reports whether c is the window of img (black outside) at (ox, oy).
func isWindow(img, c *Image, ox, oy int) bool {
	for y := 0; y < c.Height; y++ {
		for x := 0; x < c.Width; x++ {
			sx, sy := ox+x, oy+y
			var want [3]uint8
			if sx >= 0 && sy >= 0 && sx < img.Width && sy < img.Height {
				copy(want[:], img.Pix[3*(sy*img.Width+sx):])
			}
			if !bytes.Equal(want[:], c.Pix[3*(y*c.Width+x):3*(y*c.Width+x)+3]) {
				return false
			}
		}
	}
	return true
}
