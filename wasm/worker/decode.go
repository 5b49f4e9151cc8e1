//go:build js

package worker

import (
	"fmt"
	"syscall/js"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
)

// decodeImage decodes an image file (a Blob, or an ArrayBuffer of its bytes)
// with the browser's decoders: the largest centered square is cut out and
// resized to side×side by createImageBitmap, drawn over white on an
// OffscreenCanvas (so transparency looks as on a page), and read back as RGB.
func decodeImage(v js.Value, side int) (*pretext.Image, error) {
	blob := v
	if v.InstanceOf(js.Global().Get("ArrayBuffer")) {
		blob = js.Global().Get("Blob").New([]any{v})
	}
	size := blob.Get("size").Int()
	switch {
	case size == 0:
		return nil, fmt.Errorf("empty file")
	case size > imageio.MaxFileBytes:
		return nil, fmt.Errorf("file of %d MB is over the %d MB limit", size>>20, imageio.MaxFileBytes>>20)
	}
	create := js.Global().Get("createImageBitmap")
	bmp, err := await(create.Invoke(blob))
	if err != nil {
		return nil, fmt.Errorf("not a readable image (%v)", err)
	}
	defer bmp.Call("close")
	w, h := bmp.Get("width").Int(), bmp.Get("height").Int()
	if w == 0 || h == 0 {
		return nil, fmt.Errorf("image has no pixels")
	}
	if w*h > imageio.MaxPixels {
		return nil, fmt.Errorf("image of %d×%d pixels is too large", w, h)
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
