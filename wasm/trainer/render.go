package trainer

import (
	"bytes"
	"fmt"
	"image/png"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

// encodePNG encodes an image for the UI (thumbnails, example renders).
func encodePNG(img *pretext.Image) []byte {
	var b bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&b, img.ToStd()); err != nil {
		panic(fmt.Sprintf("trainer: encoding a PNG in memory: %v", err)) // cannot fail on a bytes.Buffer
	}
	return b.Bytes()
}

// directions names the 8 neighbours of relative-position prediction by offset.
var directions = map[[2]int]string{
	{-1, -1}: "top-left", {0, -1}: "top", {1, -1}: "top-right",
	{-1, 0}: "left", {1, 0}: "right",
	{-1, 1}: "bottom-left", {0, 1}: "bottom", {1, 1}: "bottom-right",
}

// caption says what the model answered for one pretext example, and the truth.
func caption(task pretext.Task, e train.Example) string {
	if len(e.Target) == 0 || len(e.Pred) == 0 {
		return ""
	}
	switch task.Name() {
	case "rotation":
		return fmt.Sprintf("predicted %d°, true %d°", pretext.RotationAngle(e.Pred[0]), pretext.RotationAngle(e.Target[0]))
	case "context":
		name := func(k int) string {
			dx, dy := pretext.ContextOffset(k)
			if n, ok := directions[[2]int{dx, dy}]; ok {
				return n
			}
			return fmt.Sprintf("#%d", k)
		}
		return fmt.Sprintf("predicted %s, true %s", name(e.Pred[0]), name(e.Target[0]))
	case "jigsaw":
		if e.Right {
			return fmt.Sprintf("tiles put back in order (permutation #%d)", e.Target[0])
		}
		return fmt.Sprintf("wrong order: predicted permutation #%d, true #%d", e.Pred[0], e.Target[0])
	case "colorization":
		right := 0
		for i := range e.Target {
			if e.Pred[i] == e.Target[i] {
				right++
			}
		}
		return fmt.Sprintf("%d of %d cells' colours right", right, len(e.Target))
	}
	return fmt.Sprintf("predicted %v, true %v", e.Pred, e.Target)
}
