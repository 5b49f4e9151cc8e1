//go:build !nogifwebp

package imageio

import (
	"image/gif"

	"golang.org/x/image/webp"
)

// GIF and WebP decoding, left out with -tags nogifwebp: the browser's
// trainer (make build) decodes files with the browser's own decoders
// (createImageBitmap), so Go's GIF, LZW, WebP, VP8 and VP8L decoders would
// only add 0.3 MB to the browser binary. The CLI, native loading and the tests
// (native and wasm) read all four formats.
func init() {
	decoders[formatGIF] = imageDecoder{gif.DecodeConfig, gif.Decode}
	decoders[formatWebP] = imageDecoder{webp.DecodeConfig, webp.Decode}
}
