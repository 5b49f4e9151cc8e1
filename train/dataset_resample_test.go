package train

import (
	"fmt"
	"image"
	"image/color"
	"math/rand/v2"
	"testing"
)

// areaReference computes the area average by brute force: on a fine grid
// where each source pixel is dw×dh cells and each output pixel sw×sh cells,
// an output pixel is the plain mean of its cells, rounded half up.
func areaReference(src []uint8, sw, sh, dw, dh int) []uint8 {
	out := make([]uint8, 3*dw*dh)
	for Y := range dh {
		for X := range dw {
			var sum [3]int
			for cy := Y * sh; cy < (Y+1)*sh; cy++ {
				for cx := X * sw; cx < (X+1)*sw; cx++ {
					sx, sy := cx/dw, cy/dh
					for c := range 3 {
						sum[c] += int(src[3*(sy*sw+sx)+c])
					}
				}
			}
			n := sw * sh
			for c := range 3 {
				out[3*(Y*dw+X)+c] = uint8((2*sum[c] + n) / (2 * n))
			}
		}
	}
	return out
}

func TestAreaResampleMatchesReference(t *testing.T) {
	sizes := [][4]int{{6, 6, 4, 4}, {7, 5, 3, 2}, {10, 10, 10, 10}, {13, 9, 5, 4}, {100, 3, 7, 1}, {9, 9, 1, 1}, {17, 23, 16, 5}}
	for _, s := range sizes {
		sw, sh, dw, dh := s[0], s[1], s[2], s[3]
		t.Run(fmt.Sprintf("%dx%d_to_%dx%d", sw, sh, dw, dh), func(t *testing.T) {
			r := rand.New(rand.NewPCG(uint64(sw), uint64(dh)))
			// The source sits at an offset inside a larger image, to check
			// that bounds are honored.
			m := image.NewRGBA(image.Rect(-3, 2, sw+2, sh+7))
			for i := range m.Pix {
				m.Pix[i] = 255 // opaque white margin
			}
			src := make([]uint8, 3*sw*sh)
			rect := image.Rect(-1, 4, -1+sw, 4+sh)
			for y := range sh {
				for x := range sw {
					c := color.RGBA{uint8(r.IntN(256)), uint8(r.IntN(256)), uint8(r.IntN(256)), 255}
					m.SetRGBA(rect.Min.X+x, rect.Min.Y+y, c)
					copy(src[3*(y*sw+x):], []uint8{c.R, c.G, c.B})
				}
			}
			got := areaResample(m, rect, dw, dh)
			want := areaReference(src, sw, sh, dw, dh)
			if got.Width != dw || got.Height != dh {
				t.Fatalf("size %d×%d, want %d×%d", got.Width, got.Height, dw, dh)
			}
			for i := range want {
				if got.Pix[i] != want[i] {
					t.Fatalf("byte %d (pixel %d, channel %d) = %d, want %d", i, i/3, i%3, got.Pix[i], want[i])
				}
			}
		})
	}
}

// Known patterns, means worked out by hand.
func TestAreaResampleKnownMeans(t *testing.T) {
	gray := func(w int, v func(x, y int) uint8, h int) *image.Gray {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for y := range h {
			for x := range w {
				m.SetGray(x, y, color.Gray{v(x, y)})
			}
		}
		return m
	}
	tests := []struct {
		name   string
		m      *image.Gray
		dw, dh int
		want   []uint8 // one gray value per output pixel
	}{
		// Each 2×2 block holds two 0s and two 255s: mean 127.5, rounded up.
		{"checkerboard", gray(4, func(x, y int) uint8 { return uint8(255 * ((x + y) % 2)) }, 4), 2, 2, []uint8{128, 128, 128, 128}},
		// Columns 0,30,…,150 into 4: output j covers [1.5j, 1.5j+1.5):
		// (0+15)/1.5=10, (15+60)/1.5=50, (90+60)/1.5=100, (60+150)/1.5=140.
		{"columns 6→4", gray(6, func(x, y int) uint8 { return uint8(30 * x) }, 2), 4, 1, []uint8{10, 50, 100, 140}},
		// Rows 0 and 90 then 200: 3→2 gives (0+45)/1.5=30 and (45+200)/1.5=163.3.
		{"rows 3→2", gray(5, func(x, y int) uint8 { return []uint8{0, 90, 200}[y] }, 3), 1, 2, []uint8{30, 163}},
		{"to one pixel", gray(3, func(x, y int) uint8 { return uint8(x + 3*y) }, 3), 1, 1, []uint8{4}},
	}
	for _, tc := range tests {
		got := areaResample(tc.m, tc.m.Bounds(), tc.dw, tc.dh)
		for i, w := range tc.want {
			if p := [3]uint8(got.Pix[3*i : 3*i+3]); p != [3]uint8{w, w, w} {
				t.Errorf("%s: pixel %d = %v, want gray %d", tc.name, i, p, w)
			}
		}
	}
}

func TestBilinearResample(t *testing.T) {
	m := image.NewGray(image.Rect(0, 0, 2, 1))
	m.Pix[0], m.Pix[1] = 0, 200
	got := bilinearResample(m, m.Bounds(), 4, 2)
	// Centers of 4 outputs map to source x = −0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
	want := []uint8{0, 50, 150, 200}
	for y := range 2 {
		for x, w := range want {
			if p := pixel(got, x, y); p != [3]uint8{w, w, w} {
				t.Errorf("(%d,%d) = %v, want gray %d", x, y, p, w)
			}
		}
	}
}

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
				areaResample(m, crop, size, size)
			}
		})
	}
}
