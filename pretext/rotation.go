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

// Make writes the four rotations of img (fitted to size×size by FitSquare):
// sample k is img turned counter-clockwise by 90·k degrees, label k.
func (r *Rotation) Make(img *Image, rng *rand.Rand, x []float32, y []int) {
	checkSample(r, x, y, 4)
	img = FitSquare(img, r.size, rng)
	s := r.size
	n := s * s
	for k := 0; k < 4; k++ {
		dst := x[k*3*n : (k+1)*3*n]
		rd, gd, bd := dst[:n], dst[n:2*n], dst[2*n:]
		for yo := 0; yo < s; yo++ {
			for xo := 0; xo < s; xo++ {
				xs, ys := rotSource(k, xo, yo, s, s)
				p := img.Pix[3*(ys*s+xs):]
				i := yo*s + xo
				rd[i], gd[i], bd[i] = normTable[0][p[0]], normTable[1][p[1]], normTable[2][p[2]]
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
