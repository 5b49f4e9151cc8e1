package trainer

import (
	"bytes"
	"fmt"
	"image/png"
	"sync"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

// encodePNG encodes an image for the UI (thumbnails, example renders).
func encodePNG(img *pretext.Image) []byte {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed, BufferPool: pngBuffers{}}
	if err := enc.Encode(&b, img.ToStd()); err != nil {
		panic(fmt.Sprintf("trainer: encoding a PNG in memory: %v", err)) // cannot fail on a bytes.Buffer
	}
	return b.Bytes()
}

// pngBuffers reuses the PNG encoder's buffers and compressor between
// images: allocating them is most of the cost of a 32×32 thumbnail.
type pngBuffers struct{}

var pngPool sync.Pool

func (pngBuffers) Get() *png.EncoderBuffer {
	b, _ := pngPool.Get().(*png.EncoderBuffer)
	return b
}

func (pngBuffers) Put(b *png.EncoderBuffer) { pngPool.Put(b) }

// caption says what the model answered for one pretext example, and the
// truth, in the task's own words (pretext.Task.Caption).
func caption(task pretext.Task, e train.Example) string {
	if len(e.Target) == 0 || len(e.Pred) == 0 {
		return ""
	}
	return task.Caption(e.Target, e.Pred)
}
