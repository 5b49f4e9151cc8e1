package pretext

import (
	"fmt"
	"math/rand/v2"
)

// Rotation is the RotNet task (Gidaris, Singh & Komodakis 2018): the image
// is turned by 0°, 90°, 180° or 270° and the network names the angle
// (4 classes). Make emits all four rotations of each image, as RotNet puts
// them in the same batch: the network sees the same content under every
// label, so only orientation can separate the classes. Rotations by
// multiples of 90° of a square image are exact pixel permutations, leaving no
// interpolation or border artefacts that would betray the angle.
type Rotation struct {
	size int
}

func init() {
	Register(Spec{
		Name: "rotation", Label: "Rotation — predict 0°, 90°, 180° or 270°", Rank: 0, Head: WholeImage,
		New: func(imageSize, _ int) (Task, error) { return NewRotation(imageSize), nil },
	})
}

// NewRotation returns the rotation task on size×size images.
func NewRotation(size int) *Rotation {
	if size < 8 {
		panic(fmt.Sprintf("pretext: NewRotation(%d): size must be at least 8", size))
	}
	return &Rotation{size: size}
}

func (r *Rotation) Name() string         { return "rotation" }
func (r *Rotation) Classes() int         { return 4 }
func (r *Rotation) Tiles() int           { return 1 }
func (r *Rotation) TileSize() int        { return r.size }
func (r *Rotation) Positions() int       { return 1 }
func (r *Rotation) SamplesPerImage() int { return 4 }

// RotationAngle is the counter-clockwise angle, in degrees, of class k.
func RotationAngle(k int) int { return 90 * k }

// ClassName describes class k by its angle: "0°", "90°", "180°", "270°"
// (counter-clockwise).
func (r *Rotation) ClassName(k int) string { return fmt.Sprintf("%d°", RotationAngle(k)) }

// Caption is "predicted 90°, true 0°".
func (r *Rotation) Caption(target, pred []int) string { return predictedCaption(r, target, pred) }

// Make writes the four rotations of img (fitted to size×size by FitSquare):
// sample k is img turned counter-clockwise by 90·k degrees, label k.
func (r *Rotation) Make(img *Image, rng *rand.Rand, x []float32, y []int) {
	checkSample(r, x, y, 4)
	img = FitSquare(img, r.size, rng)
	s := r.size
	n := s * s
	src := x[:3*n]
	ToCHW(img, src) // sample 0 is the image itself
	y[0] = 0
	for k := 1; k < 4; k++ {
		dst := x[k*3*n : (k+1)*3*n]
		// Output row yo reads source pixels start, start+step, … (see rotSource).
		for yo := 0; yo < s; yo++ {
			xs, ys := rotSource(k, 0, yo, s, s)
			xs1, ys1 := rotSource(k, 1, yo, s, s)
			start, step := ys*s+xs, (ys1-ys)*s+(xs1-xs)
			for c := 0; c < 3; c++ {
				out := dst[c*n+yo*s : c*n+(yo+1)*s]
				in := src[c*n : (c+1)*n]
				for xo, i := 0, start; xo < s; xo, i = xo+1, i+step {
					out[xo] = in[i]
				}
			}
		}
		y[k] = k
	}
}

// Render returns the sample's input image; when pred is given, the input
// turned back by the predicted angle is shown beside it (upright when the
// prediction is right).
func (r *Rotation) Render(x []float32, y []int, pred []int) *Image {
	checkSample(r, x, y, 1)
	img := FromCHW(x, r.size, r.size)
	if pred == nil {
		return img
	}
	return sideBySide(4, img, img.Rotate90(-pred[0]))
}
