package imageio

import (
	"image"
	"image/jpeg"
	"image/png"
	"io"
)

// imageDecoder is Go's decoder of one image format.
type imageDecoder struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
}

// decoders holds a decoder for each format that sniff names and this build
// reads: JPEG and PNG always (the demo sheets are JPEG, and image/png is
// linked for encoding anyway), GIF and WebP unless built with -tags
// nogifwebp (decode_gifwebp.go).
var decoders = map[string]imageDecoder{
	formatJPEG: {jpeg.DecodeConfig, jpeg.Decode},
	formatPNG:  {png.DecodeConfig, png.Decode},
}
