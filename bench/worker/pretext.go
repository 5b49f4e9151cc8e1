//go:build js && wasm

package main

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// pretextJob makes each step's batch with a pretext task from a fixed pool
// of synthetic 32×32 images, so a step is what Tessera's trainer does end to
// end: generate the samples, then train on them. It times the generation.
type pretextJob struct {
	task   pretext.Task
	images []*pretext.Image
	rng    *rand.Rand
	next   int           // next image of the pool
	gen    time.Duration // time spent generating samples
}

// newPretextModel builds the model a task trains on 32×32 images: the
// reference trunk with the reference flattening head for rotation (4
// classes), or a tile-set head over the tiles for jigsaw (2×2 grid of 12 px
// tiles, 24 permutations).
func newPretextModel(name string, rng *rand.Rand) (*nn.Model, pretext.Task) {
	task, err := pretext.New(name, nn.ReferenceInput, nn.ReferenceTrunk().Reduction())
	if err != nil {
		panic(fmt.Sprintf("bench worker: %v", err))
	}
	cfg := nn.ReferenceTrunk()
	trunk := nn.NewTrunk(cfg, rng)
	var head *nn.Head
	if task.Tiles() == 1 {
		cells := task.TileSize() / cfg.Reduction()
		head = nn.NewHead(nn.HeadConfig{Kind: nn.Classifier, Classes: task.Classes(), FlattenCells: cells * cells}, cfg.Channels(), rng)
	} else {
		head = nn.NewHead(nn.HeadConfig{Kind: nn.TileSet, Classes: task.Classes(), Tiles: task.Tiles()}, cfg.Channels(), rng)
	}
	return &nn.Model{Trunk: trunk, Head: head}, task
}

// syntheticImages draws n images of random rectangles on a random gradient:
// content with edges and orientation, made without any data set.
func syntheticImages(n, size int, rng *rand.Rand) []*pretext.Image {
	imgs := make([]*pretext.Image, n)
	for k := range imgs {
		img := pretext.NewImage(size, size)
		var c0, c1 [3]float64
		for ch := range 3 {
			c0[ch], c1[ch] = 255*rng.Float64(), 255*rng.Float64()
		}
		for y := range size {
			for x := range size {
				t := float64(y) / float64(size-1)
				for ch := range 3 {
					img.Pix[3*(y*size+x)+ch] = uint8((1-t)*c0[ch] + t*c1[ch])
				}
			}
		}
		for range 3 {
			x0, y0 := rng.IntN(size-4), rng.IntN(size/2)
			x1, y1 := x0+2+rng.IntN(size-x0-2), y0+2+rng.IntN(size-y0-2)
			col := [3]uint8{uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))}
			for y := y0; y < y1; y++ {
				for x := x0; x < x1; x++ {
					copy(img.Pix[3*(y*size+x):], col[:])
				}
			}
		}
		imgs[k] = img
	}
	return imgs
}

// fill writes a fresh batch of `samples` samples into x and labels.
func (j *pretextJob) fill(x []float32, labels []int, samples int) {
	t0 := time.Now()
	per, ts := j.task.SamplesPerImage(), j.task.Tiles()*3*j.task.TileSize()*j.task.TileSize()
	pos := j.task.Positions()
	for s := 0; s < samples; s += per {
		img := j.images[j.next]
		j.next = (j.next + 1) % len(j.images)
		j.task.Make(img, j.rng, x[s*ts:(s+per)*ts], labels[s*pos:(s+per)*pos])
	}
	j.gen += time.Since(t0)
}
