package imageio

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"

	"bytes"
	"github.com/tessera-ssl/tessera/pretext"
)

// The fast color paths agree with the generic color.Color conversion.
func TestRGBRowsColorModels(t *testing.T) {
	const w, h = 5, 3
	r := rand.New(rand.NewPCG(7, 7))
	b := image.Rect(1, 1, 1+w, 1+h)
	ycc := image.NewYCbCr(b, image.YCbCrSubsampleRatio420)
	nycca := image.NewNYCbCrA(b, image.YCbCrSubsampleRatio422)
	pal := image.NewPaletted(b, color.Palette{color.RGBA{0, 0, 0, 0}, color.RGBA{10, 200, 30, 255}, color.NRGBA{255, 0, 0, 100}})
	imgs := map[string]image.Image{
		"YCbCr": ycc, "NYCbCrA": nycca, "Gray": image.NewGray(b), "Paletted": pal,
		"CMYK": image.NewCMYK(b), "RGBA": image.NewRGBA(b), "NRGBA": image.NewNRGBA(b),
	}
	fill := func(p []uint8) {
		for i := range p {
			p[i] = uint8(r.IntN(256))
		}
	}
	fill(ycc.Y)
	fill(ycc.Cb)
	fill(ycc.Cr)
	fill(nycca.Y)
	fill(nycca.Cb)
	fill(nycca.Cr)
	fill(nycca.A)
	fill(imgs["Gray"].(*image.Gray).Pix)
	fill(imgs["CMYK"].(*image.CMYK).Pix)
	fill(imgs["NRGBA"].(*image.NRGBA).Pix)
	for i := range pal.Pix {
		pal.Pix[i] = uint8(r.IntN(3))
	}
	rgba := imgs["RGBA"].(*image.RGBA)
	for i := 0; i < len(rgba.Pix); i += 4 { // valid premultiplied: c ≤ a
		a := uint8(r.IntN(256))
		rgba.Pix[i+3] = a
		for c := range 3 {
			rgba.Pix[i+c] = uint8(r.IntN(int(a) + 1))
		}
	}
	for _, ratio := range []image.YCbCrSubsampleRatio{
		image.YCbCrSubsampleRatio444, image.YCbCrSubsampleRatio422, image.YCbCrSubsampleRatio440,
		image.YCbCrSubsampleRatio411, image.YCbCrSubsampleRatio410,
	} {
		m := image.NewYCbCr(b, ratio)
		fill(m.Y)
		fill(m.Cb)
		fill(m.Cr)
		imgs[fmt.Sprint("YCbCr", ratio)] = m
		neg := image.NewYCbCr(image.Rect(-2, -3, 3, 1), ratio)
		fill(neg.Y)
		fill(neg.Cb)
		fill(neg.Cr)
		imgs[fmt.Sprint("YCbCr at negative origin", ratio)] = neg
	}
	for name, m := range imgs {
		fast := rgbRows(m)
		bb := m.Bounds()
		row := make([]uint8, 3*bb.Dx())
		for y := bb.Min.Y; y < bb.Max.Y; y++ {
			for x0 := bb.Min.X; x0 < bb.Min.X+2; x0++ { // whole rows and rows starting inside
				fast(y, x0, bb.Max.X, row)
				for x := x0; x < bb.Max.X; x++ {
					want := rgbOverWhite(m.At(x, y))
					got := [3]uint8(row[3*(x-x0):])
					// The generic path truncates 16-bit values; the fast paths round.
					if !near(got, want, 1) {
						t.Errorf("%s (%d,%d): fast %v, generic %v", name, x, y, got, want)
					}
					if ycc, ok := m.(*image.YCbCr); ok { // exactly the standard conversion
						c := ycc.YCbCrAt(x, y)
						if r, g, bl := color.YCbCrToRGB(c.Y, c.Cb, c.Cr); got != [3]uint8{r, g, bl} {
							t.Errorf("%s (%d,%d): fast %v, color.YCbCrToRGB %v", name, x, y, got, [3]uint8{r, g, bl})
						}
					}
				}
			}
		}
	}
	// Fully transparent is white, opaque is itself.
	if c := rgbOverWhite(color.RGBA{0, 0, 0, 0}); c != [3]uint8{255, 255, 255} {
		t.Errorf("transparent → %v, want white", c)
	}
	if c := rgbOverWhite(color.RGBA{10, 200, 30, 255}); c != [3]uint8{10, 200, 30} {
		t.Errorf("opaque → %v, want (10,200,30)", c)
	}
}

// Resampling a rectangle of a decoded image, here at a negative origin inside
// a larger one, sees exactly that rectangle's pixels.
func TestResampleDecodedRect(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	m := image.NewRGBA(image.Rect(-3, 2, 19, 30))
	for i := range m.Pix {
		m.Pix[i] = 255 // opaque white margin
	}
	rect := image.Rect(-1, 4, 16, 27)
	src := pretext.NewImage(rect.Dx(), rect.Dy())
	for y := range rect.Dy() {
		for x := range rect.Dx() {
			c := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
			m.SetRGBA(rect.Min.X+x, rect.Min.Y+y, c)
			copy(src.Pix[3*(y*src.Width+x):], []uint8{c.R, c.G, c.B})
		}
	}
	for _, size := range [][2]int{{16, 5}, {5, 23}, {17, 23}, {40, 40}} {
		got := pretext.Resample(rgbRows(m), rect, size[0], size[1])
		if want := pretext.Resize(src, size[0], size[1]); !bytes.Equal(got.Pix, want.Pix) {
			t.Errorf("%v of the decoded image differs from Resize of its pixels", size)
		}
	}
}

// BenchmarkAreaResample measures color conversion and area averaging alone,
// from a decoded 640×480 4:2:0 YCbCr image (what JPEG gives) to 32 and 64.
func BenchmarkAreaResample(b *testing.B) {
	// Photo-like content: in-gamut colors with mild noise. (Uniformly random
	// Y, Cb, Cr would be mostly out of gamut, and clamping mispredicted
	// branches would dominate.)
	m := image.NewYCbCr(image.Rect(0, 0, 640, 480), image.YCbCrSubsampleRatio420)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range m.Y {
		m.Y[i] = uint8(64 + (i%640+i/640)/10 + r.IntN(16))
	}
	for i := range m.Cb {
		m.Cb[i], m.Cr[i] = uint8(110+r.IntN(30)), uint8(120+r.IntN(20))
	}
	crop := image.Rect(80, 0, 560, 480)
	for _, size := range []int{32, 64} {
		b.Run(fmt.Sprintf("ycbcr480_to_%d", size), func(b *testing.B) {
			for b.Loop() {
				pretext.Resample(rgbRows(m), crop, size, size)
			}
		})
	}
}
