package imageio

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"io"

	"github.com/tessera-ssl/tessera/pretext"
)

// MaxPixels is the largest image, width×height as its header declares, that
// DecodeImage accepts. Larger files are refused before any pixel memory is
// allocated (a 100-megapixel JPEG already needs ~150 MB to decode, and the
// browser's WebAssembly heap is small).
const MaxPixels = 100_000_000

// MaxFileBytes is the largest file the loaders read.
const MaxFileBytes = 256 << 20

// DecodeImage decodes a JPEG, PNG, GIF or WebP file (the format is read from
// the content, never the name) into a size×size RGB image: the largest
// centered square is cropped out and resampled by pretext.Resample: shrunk
// by exact area averaging (each output pixel is the mean of the source area
// it covers) or, if the square is smaller than size, enlarged bilinearly.
// name only labels errors.
//
// Colors: grayscale, paletted, CMYK and YCbCr images become RGB; transparent
// pixels are composited over white, as a browser shows them on a white page.
// GIF animations contribute their first frame. JPEG, PNG and WebP files with an
// EXIF orientation tag are turned upright, as browsers show them.
//
// Errors are FileError values naming the file: an empty file, an unknown
// format, a zero-sized or over-MaxPixels image, truncated or corrupt data,
// a GIF or WebP file in a build with -tags nogifwebp (decode_gifwebp.go).
// size must be positive.
func DecodeImage(name string, data []byte, size int) (*pretext.Image, error) {
	if size <= 0 {
		panic(fmt.Sprintf("imageio: DecodeImage size %d must be positive", size))
	}
	img, err := decodeSquare(data, size)
	if err != nil {
		return nil, FileError{Path: name, Err: err}
	}
	return img, nil
}

// DecodeImageShortSide is DecodeImage without the crop: the whole picture is
// scaled, keeping its aspect ratio, so that its shorter side is short pixels
// (the longer side is rounded to the nearest pixel). Useful when random crops
// are taken later.
func DecodeImageShortSide(name string, data []byte, short int) (*pretext.Image, error) {
	if short <= 0 {
		panic(fmt.Sprintf("imageio: DecodeImageShortSide side %d must be positive", short))
	}
	img, err := decode(data, func(w, h int) (image.Rectangle, int, int) {
		dw, dh := pretext.ShorterSide(w, h, short)
		return image.Rect(0, 0, w, h), dw, dh
	})
	if err != nil {
		return nil, FileError{Path: name, Err: err}
	}
	return img, nil
}

// decodeSquare is DecodeImage without the name.
func decodeSquare(data []byte, size int) (*pretext.Image, error) {
	return decode(data, func(w, h int) (image.Rectangle, int, int) {
		s := min(w, h)
		x0, y0 := (w-s)/2, (h-s)/2
		return image.Rect(x0, y0, x0+s, y0+s), size, size
	})
}

// geometry chooses, for an upright w×h picture, the rectangle to keep and the
// output size.
type geometry func(w, h int) (keep image.Rectangle, dw, dh int)

// decode checks and decodes data, then hands the pixels to the resampler
// with the geometry chosen for the picture as it is displayed (after EXIF
// orientation), and finally turns the small result upright.
func decode(data []byte, geom geometry) (*pretext.Image, error) {
	format, err := CheckHead(data)
	if err != nil {
		return nil, err
	}
	dec, ok := decoders[format]
	if !ok {
		return nil, fmt.Errorf("%s images cannot be read by this build (built with -tags nogifwebp); convert it to JPEG or PNG", format)
	}
	cfg, err := dec.config(bytes.NewReader(data))
	if err != nil {
		return nil, decodeFailure(format, "header", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, fmt.Errorf("%s image has zero size (%d×%d)", format, cfg.Width, cfg.Height)
	}
	if int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return nil, fmt.Errorf("%s image is %d×%d = %.1f megapixels, more than the %d-megapixel limit",
			format, cfg.Width, cfg.Height, float64(cfg.Width)*float64(cfg.Height)/1e6, MaxPixels/1_000_000)
	}
	m, err := dec.decode(bytes.NewReader(data))
	if err != nil {
		if format == formatJPEG && !LooksComplete(format, data[max(0, len(data)-16):]) {
			// A cut file often fails as corrupt data before the decoder
			// sees its end ("short Huffman data"): say what happened.
			return nil, fmt.Errorf("truncated %s file (it ends before its end marker): %w", format, err)
		}
		return nil, decodeFailure(format, "data", err)
	}
	b := m.Bounds()
	if b.Empty() {
		return nil, fmt.Errorf("%s image has zero size (%d×%d)", format, b.Dx(), b.Dy())
	}
	orient := orientation(format, data)
	// Work out the geometry on the upright picture, then map it back onto
	// the stored pixels.
	uw, uh := b.Dx(), b.Dy()
	if orient.swapsAxes() {
		uw, uh = uh, uw
	}
	keep, dw, dh := geom(uw, uh)
	keep = orient.toStored(keep, uw, uh)
	if orient.swapsAxes() {
		dw, dh = dh, dw
	}
	keep = keep.Add(b.Min)
	return orient.apply(pretext.Resample(rgbRows(m), keep, dw, dh)), nil
}

// decodeFailure describes a decoder's error, calling a file that ends early
// truncated.
func decodeFailure(format, part string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return fmt.Errorf("truncated %s file: %w", format, err)
	}
	return fmt.Errorf("corrupt %s %s: %w", format, part, err)
}
