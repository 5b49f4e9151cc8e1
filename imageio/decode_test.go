package imageio

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Every supported format and color model decodes to the right RGB color at
// the requested size.
func TestDecodeImageFormats(t *testing.T) {
	orange := color.RGBA{200, 100, 50, 255}
	gray := image.NewGray(image.Rect(0, 0, 33, 21))
	for i := range gray.Pix {
		gray.Pix[i] = 77
	}
	clear := image.NewNRGBA(image.Rect(0, 0, 10, 10)) // fully transparent
	halfRed := image.NewNRGBA(image.Rect(0, 0, 10, 10))
	for i := 0; i < len(halfRed.Pix); i += 4 {
		copy(halfRed.Pix[i:], []uint8{255, 0, 0, 128})
	}
	tests := []struct {
		name string
		data []byte
		want [3]uint8
		tol  int
	}{
		{"png", encodePNG(t, solidRGBA(40, 30, orange)), [3]uint8{200, 100, 50}, 0},
		{"jpeg", encodeJPEG(t, solidRGBA(40, 30, orange), 95), [3]uint8{200, 100, 50}, 4},
		{"gif", palettedGIF(t, solidRGBA(40, 30, color.RGBA{0, 0, 255, 255})), [3]uint8{0, 0, 255}, 0},
		{"webp", solidWebP(40, 30, color.NRGBA{200, 100, 50, 255}, nil), [3]uint8{200, 100, 50}, 0},
		{"gray png", encodePNG(t, gray), [3]uint8{77, 77, 77}, 0},
		{"gray jpeg", encodeJPEG(t, gray, 95), [3]uint8{77, 77, 77}, 1},
		{"transparent png is white", encodePNG(t, clear), [3]uint8{255, 255, 255}, 0},
		// 255·128/255 + 255·127/255 = 255 for red; 255·127/255 = 127 for the others.
		{"half-transparent red over white", encodePNG(t, halfRed), [3]uint8{255, 127, 127}, 0},
		{"transparent webp is white", solidWebP(5, 5, color.NRGBA{10, 20, 30, 0}, nil), [3]uint8{255, 255, 255}, 0},
	}
	for _, tc := range tests {
		for _, size := range []int{8, 16, 64} { // down, down, up
			t.Run(fmt.Sprintf("%s/%d", tc.name, size), func(t *testing.T) {
				m, err := DecodeImage(tc.name, tc.data, size)
				if err != nil {
					t.Fatal(err)
				}
				if m.Width != size || m.Height != size || len(m.Pix) != 3*size*size {
					t.Fatalf("got %d×%d (%d bytes), want %d×%d", m.Width, m.Height, len(m.Pix), size, size)
				}
				for y := range size {
					for x := range size {
						if p := pixel(m, x, y); !near(p, tc.want, tc.tol) {
							t.Fatalf("pixel (%d,%d) = %v, want %v ± %d", x, y, p, tc.want, tc.tol)
						}
					}
				}
			})
		}
	}
}

// Bad input gives a FileError naming the file and the problem.
func TestDecodeImageErrors(t *testing.T) {
	good := encodeJPEG(t, solidRGBA(64, 64, color.RGBA{1, 2, 3, 255}), 90)
	badPNG := append(pngHeaderOnly(8, 8), pngChunk("IDAT", []byte("not deflate data at all"))...)
	tests := []struct {
		name, file string
		data       []byte
		reason     string
	}{
		{"empty", "empty.jpg", nil, "empty file"},
		{"text named .jpg", "notes.jpg", []byte("hello, this is text"), "not a JPEG, PNG, GIF or WebP image"},
		{"truncated jpeg", "cut.jpg", good[:len(good)/2], "truncated JPEG"},
		{"jpeg header only", "head.jpg", good[:4], "truncated JPEG"},
		{"corrupt png", "bad.png", badPNG, "corrupt PNG"},
		{"png without data", "nodata.png", pngHeaderOnly(8, 8), "PNG"},
		{"zero-width png", "zero.png", pngHeaderOnly(0, 8), "PNG"},
		{"huge png", "huge.png", pngHeaderOnly(20000, 20000), "400.0 megapixels, more than the 100-megapixel limit"},
		{"truncated gif", "cut.gif", palettedGIF(t, solidRGBA(8, 8, color.RGBA{255, 0, 0, 255}))[:20], "GIF"},
		{"heic", "IMG_0001.HEIC", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), "HEIC/HEIF images are not supported"},
		{"tiff named .png", "scan.png", []byte("II*\x00\x08\x00\x00\x00"), "TIFF images are not supported"},
		{"bad webp", "bad.webp", []byte("RIFF\x20\x00\x00\x00WEBPVP8 garbage garbage"), "WebP"},
		{"avif", "photo.avif", []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00"), "AVIF images are not supported"},
		{"bmp", "old.bmp", append([]byte("BM"), make([]byte, 40)...), "BMP images are not supported"},
		{"svg", "logo.svg", []byte("<?xml version=\"1.0\"?>\n<!-- drawn by hand -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), "SVG images are not supported"},
		{"pdf named .jpg", "scan.jpg", []byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "PDF images are not supported"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m, err := DecodeImage(tc.file, tc.data, 16)
			if err == nil {
				t.Fatalf("decoded a %d×%d image, want an error", m.Width, m.Height)
			}
			var fe FileError
			if !errors.As(err, &fe) || fe.Path != tc.file {
				t.Fatalf("error %q (%T) is not a FileError for %s", err, err, tc.file)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, tc.file+": ") || !strings.Contains(msg, tc.reason) {
				t.Fatalf("error %q: want %q followed by a reason containing %q", msg, tc.file+": ", tc.reason)
			}
		})
	}
}

// The largest centered square is kept: a wide or tall image whose middle
// square is red and whose margins are blue decodes to pure red.
func TestDecodeImageCentersSquare(t *testing.T) {
	red, blue := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}
	for _, dims := range [][2]int{{60, 20}, {20, 60}, {61, 20}, {20, 61}} {
		w, h := dims[0], dims[1]
		s := min(w, h)
		m := solidRGBA(w, h, blue)
		x0, y0 := (w-s)/2, (h-s)/2
		for y := y0; y < y0+s; y++ {
			for x := x0; x < x0+s; x++ {
				m.SetRGBA(x, y, red)
			}
		}
		for _, size := range []int{s, 10, 7, 45} {
			got, err := DecodeImage("c.png", encodePNG(t, m), size)
			if err != nil {
				t.Fatal(err)
			}
			for i := 0; i < len(got.Pix); i += 3 {
				if p := [3]uint8(got.Pix[i : i+3]); p != [3]uint8{255, 0, 0} {
					t.Fatalf("%d×%d → %d: pixel %d = %v, want pure red", w, h, size, i/3, p)
				}
			}
		}
	}
}

func TestDecodeImageShortSide(t *testing.T) {
	tests := []struct{ w, h, short, ww, wh int }{
		{60, 20, 10, 30, 10},
		{20, 60, 10, 10, 30},
		{65, 20, 10, 33, 10}, // 32.5 rounds up
		{30, 30, 12, 12, 12},
		{7, 5, 10, 14, 10}, // enlarged
	}
	for _, tc := range tests {
		m, err := DecodeImageShortSide("s.png", encodePNG(t, solidRGBA(tc.w, tc.h, color.RGBA{9, 8, 7, 255})), tc.short)
		if err != nil {
			t.Fatal(err)
		}
		if m.Width != tc.ww || m.Height != tc.wh {
			t.Errorf("%d×%d, short side %d: got %d×%d, want %d×%d", tc.w, tc.h, tc.short, m.Width, m.Height, tc.ww, tc.wh)
		}
		if p := pixel(m, m.Width-1, m.Height-1); p != [3]uint8{9, 8, 7} {
			t.Errorf("%d×%d: corner %v, want (9,8,7)", tc.w, tc.h, p)
		}
	}
}

// photoJPEG is a w×h JPEG standing in for a photo: smooth color gradients
// and waves with mild pixel noise (pure noise would be an unfair worst case
// for JPEG's entropy decoder).
func photoJPEG(b *testing.B, w, h int) []byte {
	r := rand.New(rand.NewPCG(uint64(w), uint64(h)))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			n := r.Float64() * 16
			m.SetRGBA(x, y, color.RGBA{
				uint8(200*fx + n),
				uint8(120 + 100*math.Sin(9*fx+5*fy) + n/2),
				uint8(220*fy*(1-fx) + n),
				255,
			})
		}
	}
	return encodeJPEG(b, m, 85)
}

// BenchmarkDecodeImage measures DecodeImage, and jpeg.Decode alone for
// comparison (the difference is color conversion and resampling).
func BenchmarkDecodeImage(b *testing.B) {
	for _, bc := range []struct{ w, h, size int }{{32, 32, 32}, {640, 480, 32}, {640, 480, 64}} {
		data := photoJPEG(b, bc.w, bc.h)
		b.Run(fmt.Sprintf("jpeg%dx%d_to_%d", bc.w, bc.h, bc.size), func(b *testing.B) {
			for b.Loop() {
				if _, err := DecodeImage("bench.jpg", data, bc.size); err != nil {
					b.Fatal(err)
				}
			}
		})
		if bc.size == 32 {
			b.Run(fmt.Sprintf("jpeg%dx%d_stdlib_only", bc.w, bc.h), func(b *testing.B) {
				for b.Loop() {
					if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
