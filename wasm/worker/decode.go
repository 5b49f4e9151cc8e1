//go:build js

package worker

import (
	"errors"
	"fmt"
	"syscall/js"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
)

// decodeImage decodes an image file (a Blob, or an ArrayBuffer of its bytes)
// with the browser's decoders: the largest centered square is cut out and
// resized to side×side by createImageBitmap, drawn over white on an
// OffscreenCanvas (so transparency looks as on a page), and read back as RGB.
//
// It accepts what the command line accepts, and refuses the rest in the
// command line's words: the format is read from the first bytes by
// imageio.CheckHead (so a BMP the browser could show is refused like on the
// command line, and a HEIC, SVG, TIFF or PDF is named). A JPEG or PNG that
// does not end as a whole file does (imageio.LooksComplete; browsers show
// a truncated one with a grey bottom) and a file the browser cannot decode
// are decoded by imageio as well, whose error names the problem.
func decodeImage(v js.Value, side int) (*pretext.Image, error) {
	blob := v
	if v.InstanceOf(js.Global().Get("ArrayBuffer")) {
		blob = js.Global().Get("Blob").New([]any{v})
	}
	size := blob.Get("size").Int()
	if size > imageio.MaxFileBytes {
		return nil, fmt.Errorf("file is %d MB, more than the %d MB limit", size>>20, imageio.MaxFileBytes>>20)
	}
	head, err := readBytes(blob, 0, min(size, imageio.HeadBytes))
	if err != nil {
		return nil, fmt.Errorf("reading the file: %v", err)
	}
	format, err := imageio.CheckHead(head)
	if err != nil {
		return nil, err
	}
	tail, err := readBytes(blob, max(0, size-16), size)
	if err != nil {
		return nil, fmt.Errorf("reading the file: %v", err)
	}
	if !imageio.LooksComplete(format, tail) {
		if err := goDecodeError(blob, format, side); err != nil {
			return nil, err
		}
	}
	create := js.Global().Get("createImageBitmap")
	bmp, err := await(create.Invoke(blob))
	if err != nil {
		if err := goDecodeError(blob, format, side); err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("corrupt %s data (the browser could not decode it: %v)", format, err)
	}
	defer bmp.Call("close")
	w, h := bmp.Get("width").Int(), bmp.Get("height").Int()
	if w == 0 || h == 0 {
		return nil, fmt.Errorf("%s image has zero size (%d×%d)", format, w, h)
	}
	if w*h > imageio.MaxPixels {
		return nil, fmt.Errorf("%s image is %d×%d = %.1f megapixels, more than the %d-megapixel limit",
			format, w, h, float64(w)*float64(h)/1e6, imageio.MaxPixels/1_000_000)
	}
	s := min(w, h)
	opts := js.ValueOf(map[string]any{"resizeWidth": side, "resizeHeight": side, "resizeQuality": "high"})
	small, err := await(create.Invoke(bmp, (w-s)/2, (h-s)/2, s, s, opts))
	if err != nil {
		return nil, fmt.Errorf("resizing: %v", err)
	}
	defer small.Call("close")
	canvas := js.Global().Get("OffscreenCanvas").New(side, side)
	ctx := canvas.Call("getContext", "2d")
	ctx.Set("fillStyle", "#fff")
	ctx.Call("fillRect", 0, 0, side, side)
	ctx.Call("drawImage", small, 0, 0)
	rgba := make([]byte, 4*side*side)
	js.CopyBytesToGo(rgba, ctx.Call("getImageData", 0, 0, side, side).Get("data"))
	img := pretext.NewImage(side, side)
	for i := range side * side {
		copy(img.Pix[3*i:3*i+3], rgba[4*i:4*i+3])
	}
	return img, nil
}

// readBytes reads bytes [from, to) of a Blob.
func readBytes(blob js.Value, from, to int) ([]byte, error) {
	buf, err := await(blob.Call("slice", from, to).Call("arrayBuffer"))
	if err != nil {
		return nil, err
	}
	u := js.Global().Get("Uint8Array").New(buf)
	out := make([]byte, u.Length())
	js.CopyBytesToGo(out, u)
	return out, nil
}

// goDecodeError decodes the whole file with imageio and returns its error,
// or nil if it decodes: the command line's reason for a file the browser
// doubts. GIF and WebP are not linked into the browser build (the browser
// decodes them), so their files are not second-guessed.
func goDecodeError(blob js.Value, format string, side int) error {
	if format != "JPEG" && format != "PNG" {
		return nil
	}
	data, err := readBytes(blob, 0, blob.Get("size").Int())
	if err != nil {
		return fmt.Errorf("reading the file: %v", err)
	}
	if _, err := imageio.DecodeImage("", data, side); err != nil {
		var fe imageio.FileError
		if errors.As(err, &fe) {
			return fe.Err
		}
		return err
	}
	return nil
}
