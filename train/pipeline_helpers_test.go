package train

import (
	"bytes"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// The pipeline tests run on tiny generated images and a tiny trunk, so
// every test takes a fraction of a second.

const pipeSize = 16

func pipeTrunk() nn.TrunkConfig {
	return nn.TrunkConfig{InChannels: 3, Widths: []int{8, 16}, ConvsPerStage: 1, BatchNorm: true}
}

// pipeScene draws an "outdoor" picture: a bright sky fading to dark ground,
// a random horizon and a random coloured blob, so which way is up is
// visible (rotation is learnable) and no two images are alike.
func pipeScene(rng *rand.Rand, size int) *pretext.Image {
	img := pretext.NewImage(size, size)
	horizon := size/3 + rng.IntN(size/3)
	br, bg, bb := rng.IntN(256), rng.IntN(256), rng.IntN(256)
	bx, by, br2 := rng.IntN(size), rng.IntN(size), 1+rng.IntN(size/4)
	for y := range size {
		for x := range size {
			p := img.Pix[3*(y*size+x):]
			if y < horizon {
				v := 255 - 60*y/horizon
				p[0], p[1], p[2] = uint8(v*6/10), uint8(v*8/10), uint8(v)
			} else {
				p[0], p[1], p[2] = 40, uint8(90-40*(y-horizon)/size), 30
			}
			if (x-bx)*(x-bx)+(y-by)*(y-by) <= br2*br2 {
				p[0], p[1], p[2] = uint8(br), uint8(bg), uint8(bb)
			}
			for c := range 3 {
				p[c] = uint8(min(255, max(0, int(p[c])+rng.IntN(21)-10)))
			}
		}
	}
	return img
}

// pipePool is n unlabeled scenes.
func pipePool(n int, seed uint64) []*pretext.Image {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([]*pretext.Image, n)
	for i := range out {
		out[i] = pipeScene(rng, pipeSize)
	}
	return out
}

// pipeColors are the classes of the labeled sets: a scene tinted strongly
// towards one colour.
var pipeColors = [][3]int{{255, 40, 40}, {40, 220, 40}, {40, 60, 255}}

// pipeLabeled is a labeled dataset of perClass tinted scenes per class.
func pipeLabeled(perClass int, seed uint64) *imageio.Dataset {
	rng := rand.New(rand.NewPCG(seed, 2))
	d := &imageio.Dataset{Classes: []string{"red", "green", "blue"}}
	for i := range perClass * len(pipeColors) {
		c := i % len(pipeColors)
		img := pipeScene(rng, pipeSize)
		for p := 0; p < len(img.Pix); p += 3 {
			for ch := range 3 {
				img.Pix[p+ch] = uint8((int(img.Pix[p+ch]) + 2*pipeColors[c][ch]) / 3)
			}
		}
		d.Images = append(d.Images, img)
		d.Labels = append(d.Labels, c)
		d.Names = append(d.Names, d.Classes[c]+"/"+string(rune('a'+i%26))+".png")
	}
	return d
}

// pipePretrain is a small, fast pretraining configuration.
func pipePretrain(task string) PretrainConfig {
	c := DefaultPretrain(task, pipeSize)
	c.Trunk = pipeTrunk()
	c.Hidden = 32
	c.Samples = 40 * 32
	c.Batch = 32
	c.LR = 0.05
	return c
}

// pipeFinetune is a small, fast downstream configuration.
func pipeFinetune(mode string) FinetuneConfig {
	c := DefaultFinetune(mode)
	c.Epochs, c.Batch = 4, 16
	return c
}

// snapshotTensors copies every named tensor's values.
func snapshotTensors(ts []nn.NamedTensor) map[string][]float32 {
	m := make(map[string][]float32, len(ts))
	for _, t := range ts {
		m[t.Name] = slices.Clone(t.Data)
	}
	return m
}

// sameTensors reports the first tensor whose values differ from the
// snapshot (exactly), or "" when all are equal.
func sameTensors(t *testing.T, want map[string][]float32, got []nn.NamedTensor) string {
	t.Helper()
	if len(want) != len(got) {
		t.Fatalf("%d tensors, snapshot has %d", len(got), len(want))
	}
	for _, g := range got {
		w, ok := want[g.Name]
		if !ok {
			t.Fatalf("tensor %s not in the snapshot", g.Name)
		}
		if !slices.Equal(w, g.Data) {
			return g.Name
		}
	}
	return ""
}

// writeImageFolder writes d as PNG files dir/<class>/<i>.png and returns dir.
func writeImageFolder(t *testing.T, d *imageio.Dataset) string {
	t.Helper()
	dir := t.TempDir()
	for i, img := range d.Images {
		class := filepath.Join(dir, d.Classes[d.Labels[i]])
		if err := os.MkdirAll(class, 0o755); err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := png.Encode(&buf, img.ToStd()); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(class, fmt.Sprintf("%03d.png", i)), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
