package imageio

import (
	"image/color"
	"strings"
	"testing"
)

// CheckHead names the formats the loaders read from a file's first bytes
// alone, and refuses the others with the loaders' own wording.
func TestCheckHead(t *testing.T) {
	jpg := encodeJPEG(t, solidRGBA(16, 16, color.RGBA{9, 9, 9, 255}), 90)
	png := encodePNG(t, solidRGBA(16, 16, color.RGBA{9, 9, 9, 255}))
	tests := []struct {
		name   string
		head   []byte
		format string // "" when refused
		reason string
	}{
		{"jpeg", jpg[:min(len(jpg), HeadBytes)], formatJPEG, ""},
		{"png", png[:min(len(png), HeadBytes)], formatPNG, ""},
		{"gif", []byte("GIF89a\x10\x00\x10\x00"), formatGIF, ""},
		{"empty", nil, "", "empty file (0 bytes)"},
		{"bmp", append([]byte("BM"), make([]byte, 30)...), "", "BMP images are not supported (only JPEG, PNG, GIF and WebP); convert it to JPEG or PNG"},
		{"tiff big-endian", []byte("MM\x00*\x00\x00\x00\x08"), "", "TIFF images are not supported"},
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1"), "", "HEIC/HEIF images are not supported"},
		{"svg bare", []byte("\xef\xbb\xbf  <svg width='1'/>"), "", "SVG images are not supported"},
		{"svg after doctype", []byte("<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\"><SVG/>"), "", "SVG images are not supported"},
		{"xml that is no svg", []byte("<?xml version='1.0'?><plist/>"), "", "not a JPEG, PNG, GIF or WebP image"},
		{"pdf", []byte("%PDF-1.4"), "", "PDF images are not supported"},
		{"text", []byte("just some words"), "", `not a JPEG, PNG, GIF or WebP image (content starts "just some wo")`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			format, err := CheckHead(tc.head)
			if format != tc.format {
				t.Errorf("format %q, want %q", format, tc.format)
			}
			switch {
			case tc.reason == "" && err != nil:
				t.Errorf("error %v, want none", err)
			case tc.reason != "" && (err == nil || !strings.Contains(err.Error(), tc.reason)):
				t.Errorf("error %v, want one containing %q", err, tc.reason)
			}
		})
	}
}

// LooksComplete spots a JPEG or PNG cut short from its last bytes.
func TestLooksComplete(t *testing.T) {
	jpg := encodeJPEG(t, solidRGBA(16, 16, color.RGBA{9, 9, 9, 255}), 90)
	png := encodePNG(t, solidRGBA(16, 16, color.RGBA{9, 9, 9, 255}))
	tail := func(b []byte) []byte { return b[max(0, len(b)-16):] }
	tests := []struct {
		name   string
		format string
		tail   []byte
		want   bool
	}{
		{"whole jpeg", formatJPEG, tail(jpg), true},
		{"cut jpeg", formatJPEG, tail(jpg[:len(jpg)-7]), false},
		{"whole png", formatPNG, tail(png), true},
		{"cut png", formatPNG, tail(png[:len(png)-3]), false},
		{"gif is not checked", formatGIF, []byte("anything"), true},
	}
	for _, tc := range tests {
		if got := LooksComplete(tc.format, tc.tail); got != tc.want {
			t.Errorf("%s: LooksComplete = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// ClassOf is the first folder level: deeper folders belong to their class.
func TestClassOf(t *testing.T) {
	tests := []struct {
		rel, class string
		ok         bool
	}{
		{"cat/1.jpg", "cat", true},
		{"cat/small/1.jpg", "cat", true},
		{"dog/big/huge/2.jpg", "dog", true},
		{"1.jpg", "", false},
		{"/1.jpg", "", false},
	}
	for _, tc := range tests {
		class, ok := ClassOf(tc.rel)
		if class != tc.class && tc.ok || ok != tc.ok {
			t.Errorf("ClassOf(%q) = %q, %v; want %q, %v", tc.rel, class, ok, tc.class, tc.ok)
		}
	}
}
