package train_test

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/train/experiment"
)

// flip is a pretext task added the way every task is: this one file, a
// type with the Task methods and a Register call. The network tells an
// upright image from the same image turned upside down (2 classes); both
// go in the same batch, as RotNet's rotations do. Registered here, it also
// runs in every test of this package that goes over pretext.Names
// (pretraining, examples, data-parallel replicas).
type flip struct{ size int }

func init() {
	pretext.Register(pretext.Spec{
		Name: "flip", Label: "Flip — is the image upside down?", Rank: 100, Head: pretext.WholeImage,
		New: func(imageSize, _ int) (pretext.Task, error) { return &flip{imageSize}, nil },
	})
}

func (f *flip) Name() string         { return "flip" }
func (f *flip) Classes() int         { return 2 }
func (f *flip) Tiles() int           { return 1 }
func (f *flip) TileSize() int        { return f.size }
func (f *flip) Positions() int       { return 1 }
func (f *flip) SamplesPerImage() int { return 2 }

// Make writes img (sample 0, label 0) and img turned by 180° (sample 1,
// label 1).
func (f *flip) Make(img *pretext.Image, rng *rand.Rand, x []float32, y []int) {
	img = pretext.FitSquare(img, f.size, rng)
	n := 3 * f.size * f.size
	pretext.ToCHW(img, x[:n])
	pretext.ToCHW(img.Rotate90(2), x[n:2*n])
	y[0], y[1] = 0, 1
}

func (f *flip) Render(x []float32, y, pred []int) *pretext.Image {
	return pretext.FromCHW(x, f.size, f.size)
}

func (f *flip) ClassName(k int) string { return [2]string{"upright", "upside down"}[k] }

func (f *flip) Caption(target, pred []int) string {
	return fmt.Sprintf("predicted %s, true %s", f.ClassName(pred[0]), f.ClassName(target[0]))
}

// The added task is listed wherever tasks are listed, and trains through
// the pretraining path with the head its Spec declares.
func TestAddedTask(t *testing.T) {
	if !slices.Contains(pretext.Names(), "flip") || pretext.Names()[0] != "rotation" {
		t.Errorf("pretext.Names() = %v, want rotation first and flip among them", pretext.Names())
	}
	if tasks := experiment.Default(32).Tasks; !slices.Equal(tasks, pretext.Names()) {
		t.Errorf("the experiment's tasks %v, want %v", tasks, pretext.Names())
	}

	rng := rand.New(rand.NewPCG(1, 2))
	pool := make([]*pretext.Image, 8)
	for i := range pool {
		img := pretext.NewImage(16, 16)
		for p := range img.Pix {
			img.Pix[p] = uint8(255 * (p / 48) / 16) // bright at the bottom
			img.Pix[p] += uint8(rng.IntN(16))
		}
		pool[i] = img
	}
	cfg := train.DefaultPretrain("flip", 16)
	cfg.Trunk = nn.TrunkConfig{InChannels: 3, Widths: []int{8, 16}, ConvsPerStage: 1, BatchNorm: true}
	cfg.Samples, cfg.Batch = 4*8, 8
	p, err := train.NewPretrainer(cfg, pool)
	if err != nil {
		t.Fatal(err)
	}
	if h := p.Model.Head.Config; h.Kind != nn.Classifier || h.Classes != 2 {
		t.Errorf("head %+v, want a 2-class classifier", h)
	}
	if err := p.Run(context.Background(), nil, time.Hour); err != nil {
		t.Fatal(err)
	}
	if pr := p.Progress(); pr.Step != 4 || pr.Samples != 4*8 || math.IsNaN(pr.Loss) || pr.Loss <= 0 {
		t.Errorf("progress %+v after 4 steps of 8 samples", pr)
	}
	for _, e := range p.Examples(2) {
		if c := p.Task.Caption(e.Target, e.Pred); c == "" || e.Picture.Width != 16 {
			t.Errorf("example %+v: caption %q", e, c)
		}
	}
}
