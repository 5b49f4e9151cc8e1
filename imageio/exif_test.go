package imageio

import (
	"fmt"
	"image/color"
	"testing"
)

// A stored 30×20 picture with red, green, blue and white quadrants (top-left,
// top-right, bottom-left, bottom-right) is shown upright as EXIF says. The
// expected corners follow the tag's definition (e.g. 6 = "rotate 90°
// clockwise to display": what was bottom-left comes to top-left), not the code.
func TestEXIFOrientation(t *testing.T) {
	const R, G, B, W = 'R', 'G', 'B', 'W'
	colors := map[byte][3]uint8{R: {255, 0, 0}, G: {0, 255, 0}, B: {0, 0, 255}, W: {255, 255, 255}}
	stored := solidRGBA(30, 20, color.RGBA{255, 255, 255, 255})
	for y := range 20 {
		for x := range 30 {
			switch {
			case x < 15 && y < 10:
				stored.SetRGBA(x, y, color.RGBA{255, 0, 0, 255})
			case y < 10:
				stored.SetRGBA(x, y, color.RGBA{0, 255, 0, 255})
			case x < 15:
				stored.SetRGBA(x, y, color.RGBA{0, 0, 255, 255})
			}
		}
	}
	tests := []struct {
		o       uint16
		corners string // upright top-left, top-right, bottom-left, bottom-right
	}{
		{1, "RGBW"}, {2, "GRWB"}, {3, "WBGR"}, {4, "BWRG"},
		{5, "RBGW"}, {6, "BRWG"}, {7, "WGBR"}, {8, "GWRB"},
		{0, "RGBW"}, {9, "RGBW"}, // invalid values are ignored
	}
	pngData, jpegData := encodePNG(t, stored), encodeJPEG(t, stored, 95)
	for _, tc := range tests {
		files := map[string][]byte{
			"png":  withPNGEXIF(pngData, tiffOrientationBlock(tc.o, false)),
			"jpeg": withJPEGEXIF(jpegData, tiffOrientationBlock(tc.o, true)),
		}
		for format, data := range files {
			t.Run(fmt.Sprintf("%s/%d", format, tc.o), func(t *testing.T) {
				m, err := DecodeImageShortSide("o", data, 20)
				if err != nil {
					t.Fatal(err)
				}
				ww, wh := 30, 20
				if tc.o >= 5 && tc.o <= 8 {
					ww, wh = 20, 30
				}
				if m.Width != ww || m.Height != wh {
					t.Fatalf("size %d×%d, want %d×%d", m.Width, m.Height, ww, wh)
				}
				at := []struct{ x, y int }{{2, 2}, {ww - 3, 2}, {2, wh - 3}, {ww - 3, wh - 3}}
				for i, p := range at {
					want := colors[tc.corners[i]]
					if got := pixel(m, p.x, p.y); !near(got, want, 12) {
						t.Errorf("corner %d at (%d,%d) = %v, want %c %v", i, p.x, p.y, got, tc.corners[i], want)
					}
				}
			})
		}
	}
}

// WebP carries EXIF in a chunk of its own; a 3×2 picture tagged "rotate 90°"
// comes out 2×3.
func TestEXIFOrientationWebP(t *testing.T) {
	for _, tc := range []struct {
		o      uint16
		prefix string
		w, h   int
	}{{1, "", 3, 2}, {6, "", 2, 3}, {8, "Exif\x00\x00", 2, 3}, {3, "", 3, 2}} {
		exif := append([]byte(tc.prefix), tiffOrientationBlock(tc.o, false)...)
		m, err := DecodeImageShortSide("o.webp", solidWebP(3, 2, color.NRGBA{1, 2, 3, 255}, exif), 2)
		if err != nil {
			t.Fatalf("orientation %d: %v", tc.o, err)
		}
		if m.Width != tc.w || m.Height != tc.h || pixel(m, 0, 0) != [3]uint8{1, 2, 3} {
			t.Errorf("orientation %d: %d×%d, color %v; want %d×%d, (1,2,3)", tc.o, m.Width, m.Height, pixel(m, 0, 0), tc.w, tc.h)
		}
	}
}

// Broken EXIF blocks are ignored, never fatal.
func TestTIFFOrientationMalformed(t *testing.T) {
	good := tiffOrientationBlock(6, false)
	for i := range len(good) {
		want := exifOrientation(1)
		if i >= len(good)-4 { // the Orientation entry is whole; the next-IFD offset is not needed
			want = 6
		}
		if o := tiffOrientation(good[:i]); o != want {
			t.Errorf("block cut to %d bytes gives orientation %d, want %d", i, o, want)
		}
	}
	if o := tiffOrientation(good); o != 6 {
		t.Errorf("whole block gives %d, want 6", o)
	}
	bad := append([]byte{}, good...)
	bad[4] = 0xff // IFD offset far past the end
	if o := tiffOrientation(bad); o != 1 {
		t.Errorf("bad IFD offset gives %d, want 1", o)
	}
	if o := jpegEXIF([]byte{0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff}); o != nil {
		t.Errorf("segment longer than the file gives %v, want nil", o)
	}
}
