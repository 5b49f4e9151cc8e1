package pretext

import "math/rand/v2"

// Task turns an unlabeled image into training examples whose labels the image
// itself provides.
//
// A sample is Tiles() network inputs, each Channels()×Size×Size float32 in CHW
// order (always 3 channels, so a trunk pretrained on any task transfers to RGB
// classification), and Positions() integer targets in [0, Classes()).
// Whole-image tasks (rotation) have one tile and one position; jigsaw and
// relative position pass several tiles through the shared trunk; colorization
// has one target per cell of an output grid (Positions() = grid²).
//
// Layout: in x, tile t of sample s starts at (s·Tiles() + t)·3·TileSize()²
// and is CHW; in y, the targets of sample s are y[s·Positions() :
// (s+1)·Positions()] (row-major over the grid for colorization).
// Implementations are read-only after construction (set exported fields
// such as Jigsaw.GrayProb before use): Make may run concurrently with
// distinct rng, x and y. Each task's file registers a Spec (registry.go);
// New builds a registered task by name.
type Task interface {
	// Name is the task's identifier, its Spec's Name (e.g. "rotation").
	Name() string
	// Classes is the number of classes per target position.
	Classes() int
	// Tiles is the number of trunk inputs per sample.
	Tiles() int
	// TileSize is the side, in pixels, of each trunk input.
	TileSize() int
	// Positions is the number of targets per sample.
	Positions() int
	// SamplesPerImage is how many samples Make produces from one image
	// (4 for rotation: all four rotations of each image go in one batch).
	SamplesPerImage() int
	// Make writes SamplesPerImage() samples made from img into x (length
	// SamplesPerImage()*Tiles()*3*TileSize()²) and y (length
	// SamplesPerImage()*Positions()), drawing randomness only from rng.
	Make(img *Image, rng *rand.Rand, x []float32, y []int)
	// Render draws one sample (its input tiles as the network saw them, and
	// optionally a prediction) as a picture for display: x is one sample
	// (Tiles()·3·TileSize()²), y and pred its Positions() targets and
	// predicted classes; pred may be nil.
	Render(x []float32, y []int, pred []int) *Image
	// ClassName is a short human description of class k in [0, Classes()),
	// distinct for distinct k: "90°", "top left".
	ClassName(k int) string
	// Caption says what the network answered for one sample, and the truth:
	// target and pred are its Positions() targets and predicted classes
	// (both non-empty).
	Caption(target, pred []int) string
}
