package pretext

import "fmt"

// Names lists the tasks New knows, in the order the UI shows them.
func Names() []string { return []string{"rotation", "jigsaw", "colorization", "context"} }

// DefaultPermutationSeed is the seed of the jigsaw permutation sets New builds.
const DefaultPermutationSeed = 1

// New returns the named task with sensible defaults for imageSize×imageSize
// working images (16 ≤ imageSize ≤ 512):
//
//	rotation      NewRotation(imageSize)
//	jigsaw        2×2 grid, all 24 permutations, below 64 px (upsampled to 32);
//	              3×3 grid, 100 permutations, from 64 px (tiles ≥ 15 px)
//	colorization  grid = imageSize/8 clamped to [4, 8], bins of 20 (76 classes)
//	context       NewContext(imageSize) (upsampled to 48 px below 48 px)
func New(name string, imageSize int) (Task, error) {
	if imageSize < 16 || imageSize > 512 {
		return nil, fmt.Errorf("pretext: task %q: image size %d outside [16, 512]", name, imageSize)
	}
	switch name {
	case "rotation":
		return NewRotation(imageSize), nil
	case "jigsaw":
		if imageSize < 64 {
			return NewJigsaw(imageSize, 2, 24, DefaultPermutationSeed), nil
		}
		return NewJigsaw(imageSize, 3, 100, DefaultPermutationSeed), nil
	case "colorization":
		return NewColorization(imageSize, min(max(imageSize/8, 4), 8)), nil
	case "context":
		return NewContext(imageSize), nil
	}
	return nil, fmt.Errorf("pretext: unknown task %q (want one of %v)", name, Names())
}

// Every task implements Task and ClassNamer. Tasks are read-only after
// construction (set exported fields such as Jigsaw.GrayProb before use), so
// Make may run concurrently with distinct rng, x and y.
var (
	_ Task       = (*Rotation)(nil)
	_ Task       = (*Jigsaw)(nil)
	_ Task       = (*Colorization)(nil)
	_ Task       = (*Context)(nil)
	_ ClassNamer = (*Rotation)(nil)
	_ ClassNamer = (*Jigsaw)(nil)
	_ ClassNamer = (*Colorization)(nil)
	_ ClassNamer = (*Context)(nil)
)
