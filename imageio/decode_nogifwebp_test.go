//go:build nogifwebp

package imageio

import (
	"image/color"
	"strings"
	"testing"
)

// Built with -tags nogifwebp, GIF and WebP files are still recognized and
// refused with a message that names the format and the build tag.
//
//	go test -tags nogifwebp -run NoGIFWebP ./imageio/
func TestDecodeImageNoGIFWebP(t *testing.T) {
	for _, tc := range []struct {
		name, format string
		data         []byte
	}{
		{"gif", "GIF", palettedGIF(t, solidRGBA(4, 4, color.RGBA{255, 0, 0, 255}))},
		{"webp", "WebP", solidWebP(4, 4, color.NRGBA{0, 255, 0, 255}, nil)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeImage(tc.name, tc.data, 4)
			if err == nil {
				t.Fatalf("DecodeImage(%s) succeeded in a nogifwebp build", tc.name)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.format) || !strings.Contains(msg, "nogifwebp") {
				t.Errorf("error %q should name %s and the nogifwebp tag", msg, tc.format)
			}
		})
	}
	for _, f := range []string{formatJPEG, formatPNG} {
		if _, ok := decoders[f]; !ok {
			t.Errorf("no %s decoder in a nogifwebp build", f)
		}
	}
}
