package nn

import "math/rand/v2"

// ReferenceTrunk is the trunk of the reference CNN that speed comparisons use
// (the same net is built in TensorFlow.js and ConvNetJS by the browser
// benchmark): three stages of one 3×3 convolution (16, 32, 64 channels, with
// bias, no batch norm) and ReLU, each followed by a 2×2 max pool, so a 32×32
// input gives a 64×4×4 feature map.
func ReferenceTrunk() TrunkConfig {
	return TrunkConfig{InChannels: 3, Widths: []int{16, 32, 64}, ConvsPerStage: 1, PoolLast: true}
}

// ReferenceInput is the reference net's input size: 3×32×32 images.
const ReferenceInput = 32

// NewReferenceNet builds the reference CNN for 32×32 RGB input:
//
//	conv3×3 16 → ReLU → pool → conv3×3 32 → ReLU → pool → conv3×3 64 → ReLU → pool
//	→ flatten (64·4·4 = 1024) → dense `classes`
//
// with weights drawn from rng. It has 3·16·9+16 + 16·32·9+32 + 32·64·9+64 +
// 1024·classes+classes parameters (33,834 for 10 classes).
func NewReferenceNet(classes int, rng *rand.Rand) *Model {
	cfg := ReferenceTrunk()
	cells := ReferenceInput / cfg.Reduction()
	return &Model{
		Trunk: NewTrunk(cfg, rng),
		Head:  NewHead(HeadConfig{Kind: Classifier, Classes: classes, FlattenCells: cells * cells}, cfg.Channels(), rng),
	}
}
