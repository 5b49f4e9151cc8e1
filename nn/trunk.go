package nn

import (
	"fmt"
	"math/rand/v2"
)

// TrunkConfig describes the shared convolutional feature extractor.
//
// Stage i has ConvsPerStage 3×3 convolutions (padding 1) of Widths[i]
// channels, each followed by batch norm (when BatchNorm; the convolution then
// has no bias, as it would be normalised away) and ReLU; every stage
// but the last ends in a 2×2 max pool (the last too when PoolLast). So a
// 32×32 input with Widths {32, 64, 128} gives a 128×8×8 feature map.
type TrunkConfig struct {
	InChannels    int
	Widths        []int
	ConvsPerStage int
	BatchNorm     bool
	PoolLast      bool
}

// DefaultTrunk is the trunk the pipeline uses unless told otherwise.
//
// Widths 16/32/64 with batch norm: in the CIFAR-10 pilots
// (experiments/notes.md) it pretrains 2.7× faster than 32/64/128, so a
// browser's few minutes buy it 2.7× the pretext samples, and it gained more
// from pretraining.
func DefaultTrunk() TrunkConfig {
	return TrunkConfig{InChannels: 3, Widths: []int{16, 32, 64}, ConvsPerStage: 1, BatchNorm: true}
}

// Validate reports a configuration error in words a user can act on.
func (c TrunkConfig) Validate() error {
	if c.InChannels <= 0 {
		return fmt.Errorf("trunk: input channels must be positive, have %d", c.InChannels)
	}
	if len(c.Widths) == 0 || len(c.Widths) > 16 {
		return fmt.Errorf("trunk: needs 1 to 16 stages, have %d", len(c.Widths))
	}
	for i, w := range c.Widths {
		if w <= 0 || w > 4096 {
			return fmt.Errorf("trunk: stage %d width %d out of range 1..4096", i+1, w)
		}
	}
	if c.ConvsPerStage < 1 || c.ConvsPerStage > 8 {
		return fmt.Errorf("trunk: convolutions per stage %d out of range 1..8", c.ConvsPerStage)
	}
	return nil
}

// ParamCount is the number of scalars (parameters and buffers) a trunk of
// this configuration holds, computed without building it, so a loader can
// refuse a description that its file's data could not fill.
func (c TrunkConfig) ParamCount() int {
	n, in := 0, c.InChannels
	for _, w := range c.Widths {
		for range c.ConvsPerStage {
			n += in * w * 9
			if c.BatchNorm {
				n += 4 * w // no conv bias; γ, β, running mean and variance
			} else {
				n += w
			}
			in = w
		}
	}
	return n
}

// Channels is the number of channels of the trunk's feature map.
func (c TrunkConfig) Channels() int { return c.Widths[len(c.Widths)-1] }

// Reduction is how many input pixels one feature-map cell spans per side.
func (c TrunkConfig) Reduction() int {
	pools := len(c.Widths) - 1
	if c.PoolLast {
		pools++
	}
	return 1 << pools
}

// Trunk is the conv stack every pretext task and the classifier share. Its
// output is a feature map (N, C, h, w); heads pool or read it per cell.
type Trunk struct {
	Config TrunkConfig
	Stack
}

// NewTrunk builds a trunk with Kaiming-initialised weights drawn from rng.
// It panics on an invalid config (call Validate first on user input).
func NewTrunk(cfg TrunkConfig, rng *rand.Rand) *Trunk {
	if err := cfg.Validate(); err != nil {
		panic("nn: " + err.Error())
	}
	t := &Trunk{Config: cfg}
	in, conv := cfg.InChannels, 0
	for s, width := range cfg.Widths {
		for range cfg.ConvsPerStage {
			conv++
			c := NewConv2D(in, width, 3, 1, 1, rng)
			if conv == 1 {
				c.SkipInputGrad(true) // nothing upstream of the image needs dL/dx
			}
			if cfg.BatchNorm {
				c.NoBias()
			}
			t.Add(fmt.Sprintf("conv%d", conv), c)
			if cfg.BatchNorm {
				t.Add(fmt.Sprintf("bn%d", conv), NewBatchNorm2D(width))
			}
			t.Add(fmt.Sprintf("relu%d", conv), NewReLU())
			in = width
		}
		if s < len(cfg.Widths)-1 || cfg.PoolLast {
			t.Add(fmt.Sprintf("pool%d", s+1), NewMaxPool2D(2, 2))
		}
	}
	return t
}

// CopyFrom copies every parameter and buffer of src into t; both must have
// the same configuration. This is the transplant of learned features.
func (t *Trunk) CopyFrom(src *Trunk) {
	dst, from := t.Tensors("trunk"), src.Tensors("trunk")
	if len(dst) != len(from) {
		panic("nn: CopyFrom between trunks of different architecture")
	}
	for i := range dst {
		if dst[i].Name != from[i].Name || len(dst[i].Data) != len(from[i].Data) {
			panic(fmt.Sprintf("nn: CopyFrom: %s does not match %s", dst[i].Name, from[i].Name))
		}
		copy(dst[i].Data, from[i].Data)
	}
}

// Clone returns an independent copy of the trunk.
func (t *Trunk) Clone() *Trunk {
	c := NewTrunk(t.Config, rand.New(rand.NewPCG(0, 0)))
	c.CopyFrom(t)
	return c
}

// NumParams counts the trunk's trainable scalars.
func (t *Trunk) NumParams() int { return countParams(t.Params()) }

func countParams(ps []*Param) int {
	n := 0
	for _, p := range ps {
		n += len(p.Value)
	}
	return n
}
