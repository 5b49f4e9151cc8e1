package experiment

import (
	"github.com/tessera-ssl/tessera/imageio"
	"math/rand/v2"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

// testSize is the side of the test images.
const testSize = 16

// scene draws a sky fading to dark ground under a random horizon, with
// noise, so which way is up is visible and no two images are alike.
func scene(rng *rand.Rand) *pretext.Image {
	img := pretext.NewImage(testSize, testSize)
	horizon := testSize/3 + rng.IntN(testSize/3)
	for y := range testSize {
		for x := range testSize {
			p := img.Pix[3*(y*testSize+x):]
			if y < horizon {
				v := 255 - 60*y/horizon
				p[0], p[1], p[2] = uint8(v*6/10), uint8(v*8/10), uint8(v)
			} else {
				p[0], p[1], p[2] = 40, 90, 30
			}
			for c := range 3 {
				p[c] = uint8(min(255, max(0, int(p[c])+rng.IntN(41)-20)))
			}
		}
	}
	return img
}

// scenes is n unlabeled scenes.
func scenes(n int, seed uint64) []*pretext.Image {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]*pretext.Image, n)
	for i := range out {
		out[i] = scene(rng)
	}
	return out
}

// tinted is a labeled set of perClass scenes per class, each tinted
// strongly towards its class's colour.
func tinted(perClass int, seed uint64) *imageio.Dataset {
	colors := [][3]int{{255, 40, 40}, {40, 220, 40}, {40, 60, 255}}
	rng := rand.New(rand.NewPCG(seed, 2))
	d := &imageio.Dataset{Classes: []string{"red", "green", "blue"}}
	for i := range perClass * len(colors) {
		c := i % len(colors)
		img := scene(rng)
		for p := 0; p < len(img.Pix); p += 3 {
			for ch := range 3 {
				img.Pix[p+ch] = uint8((int(img.Pix[p+ch]) + 2*colors[c][ch]) / 3)
			}
		}
		d.Images = append(d.Images, img)
		d.Labels = append(d.Labels, c)
	}
	return d
}

// tinyPretrain is a small, fast pretraining configuration.
func tinyPretrain() train.PretrainConfig {
	c := train.DefaultPretrain("", testSize)
	c.Trunk = nn.TrunkConfig{InChannels: 3, Widths: []int{8, 16}, ConvsPerStage: 1, BatchNorm: true}
	c.Hidden, c.Batch, c.LR = 32, 32, 0.05
	return c
}
