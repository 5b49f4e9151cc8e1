package nn

import (
	"fmt"
	"math/rand/v2"
)

// HeadKind says what a head reads from the trunk's feature map.
type HeadKind string

const (
	// Classifier pools the feature map to one vector per image (global
	// average, or flattening when FlattenCells > 0) and maps it to logits:
	// rotation and the downstream classifier.
	Classifier HeadKind = "classifier"
	// TileSet pools each of Tiles consecutive trunk outputs to a vector,
	// concatenates them per sample and maps that to logits: jigsaw puzzles
	// and relative patch position, where every tile passes alone through the
	// shared trunk (so the trunk still transfers to whole images).
	TileSet HeadKind = "tiles"
	// PerCell classifies every cell of the feature map with 1×1 convolutions,
	// giving logits (N, Classes, h, w): colorization's per-cell colour bins.
	PerCell HeadKind = "cells"
)

// HeadConfig describes a head.
type HeadConfig struct {
	Kind    HeadKind
	Classes int
	Hidden  int // width of one hidden layer with ReLU; 0 means a linear head
	Tiles   int // TileSet: trunk outputs per sample
	// FlattenCells (Classifier only): flatten a feature map of this many
	// cells instead of average-pooling it, as a plain CNN's dense layer does.
	FlattenCells int
}

// Head maps the trunk's feature map to logits.
type Head struct {
	Config HeadConfig
	Stack
}

// NewHead builds a head over a feature map of `channels` channels.
func NewHead(cfg HeadConfig, channels int, rng *rand.Rand) *Head {
	if cfg.Classes < 1 {
		panic(fmt.Sprintf("nn: head needs at least one class, have %d", cfg.Classes))
	}
	h := &Head{Config: cfg}
	switch cfg.Kind {
	case Classifier:
		in := channels
		if cfg.FlattenCells > 0 {
			h.Add("flatten", NewFlatten())
			in = channels * cfg.FlattenCells
		} else {
			h.Add("pool", NewGlobalAvgPool())
		}
		h.addDense(in, cfg, rng)
	case TileSet:
		if cfg.Tiles < 1 {
			panic(fmt.Sprintf("nn: tile-set head needs Tiles ≥ 1, have %d", cfg.Tiles))
		}
		h.Add("pool", NewGlobalAvgPool())
		h.Add("concat", NewConcat(cfg.Tiles))
		h.addDense(channels*cfg.Tiles, cfg, rng)
	case PerCell:
		in := channels
		if cfg.Hidden > 0 {
			h.Add("conv1", NewConv2D(in, cfg.Hidden, 1, 1, 0, rng))
			h.Add("relu1", NewReLU())
			in = cfg.Hidden
		}
		h.Add("conv2", NewConv2D(in, cfg.Classes, 1, 1, 0, rng))
	default:
		panic(fmt.Sprintf("nn: unknown head kind %q", cfg.Kind))
	}
	return h
}

// addDense appends [fc1 → ReLU →] fc2 from `in` features to the classes.
func (h *Head) addDense(in int, cfg HeadConfig, rng *rand.Rand) {
	if cfg.Hidden > 0 {
		h.Add("fc1", NewDense(in, cfg.Hidden, rng))
		h.Add("relu1", NewReLU())
		in = cfg.Hidden
	}
	h.Add("fc2", NewDense(in, cfg.Classes, rng))
}
