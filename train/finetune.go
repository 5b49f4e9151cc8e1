package train

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// Downstream training modes.
const (
	FineTune    = "finetune" // all layers train; the trunk at a scaled-down learning rate
	LinearProbe = "linear"   // the trunk is frozen; only the classifier head trains
	Scratch     = "scratch"  // same network, random initialisation, same data and schedule
)

// FinetuneConfig describes supervised training of a classifier on labels.
type FinetuneConfig struct {
	Mode         string
	Epochs       int
	Batch        int
	LR           float64 // head learning rate (SGD, Nesterov momentum 0.9, cosine schedule)
	TrunkLRScale float64 // FineTune: trunk learning rate = LR × TrunkLRScale
	WeightDecay  float64
	Augment      bool // random crop with 4 px padding (scaled to the image) and horizontal flip
	Seed         uint64
}

// DefaultFinetune returns sensible settings for a mode.
//
// Fine-tuning trains the trunk at the head's full learning rate
// (TrunkLRScale 1), the same schedule as the scratch baseline: on CIFAR-10
// with 100 labels per class, features from a budget a browser can afford
// are an initialisation to refine, not a fixed extractor; scaling the trunk's
// rate to 0.2 made fine-tuning worse than scratch (experiments/notes.md).
func DefaultFinetune(mode string) FinetuneConfig {
	c := FinetuneConfig{Mode: mode, Epochs: 30, Batch: 64, LR: 0.05, TrunkLRScale: 1, WeightDecay: 5e-4, Augment: true, Seed: 1}
	if mode == LinearProbe {
		c.LR, c.WeightDecay = 0.1, 0
	}
	return c
}

// Finetuner trains a classifier one optimizer step at a time.
type Finetuner struct {
	Config FinetuneConfig
	Model  *nn.Model

	data        *Dataset
	rng         *rand.Rand
	headOpt     *nn.SGD
	trunkOpt    *nn.SGD
	sched       nn.Schedule
	loss        nn.SoftmaxCrossEntropy
	step, steps int
	batch       int
	order       []int
	cursor      int
	x, dlogits  *nn.Tensor
	y           []int
	meter       *meter
	imgs        []*pretext.Image
}

// NewFinetuner prepares downstream training on a labeled dataset.
// For FineTune and LinearProbe, pretrained is copied (never modified); for
// Scratch it is ignored and a trunk of config trunkCfg starts from random
// weights. The head and the data order depend only on Seed, so a scratch run
// and a pretrained run with the same seed see the same batches.
func NewFinetuner(cfg FinetuneConfig, pretrained *nn.Trunk, trunkCfg nn.TrunkConfig, data *Dataset) (*Finetuner, error) {
	switch {
	case cfg.Mode != FineTune && cfg.Mode != LinearProbe && cfg.Mode != Scratch:
		return nil, fmt.Errorf("finetune: unknown mode %q (want %s, %s or %s)", cfg.Mode, FineTune, LinearProbe, Scratch)
	case cfg.Mode != Scratch && pretrained == nil:
		return nil, fmt.Errorf("finetune: mode %s needs a pretrained trunk", cfg.Mode)
	case data == nil || data.Len() == 0 || !data.Labeled():
		return nil, fmt.Errorf("finetune: no labeled images")
	case len(data.Classes) < 2:
		return nil, fmt.Errorf("finetune: need at least 2 classes, have %d", len(data.Classes))
	case cfg.Epochs <= 0 || cfg.Batch <= 0 || cfg.LR <= 0:
		return nil, fmt.Errorf("finetune: epochs, batch and learning rate must be positive")
	}
	if pretrained != nil && cfg.Mode != Scratch {
		trunkCfg = pretrained.Config
	}
	if err := trunkCfg.Validate(); err != nil {
		return nil, fmt.Errorf("finetune: %w", err)
	}
	size := data.Images[0].Width
	for i, img := range data.Images {
		if img.Width != size || img.Height != size {
			return nil, fmt.Errorf("finetune: image %d is %d×%d, want %d×%d like the first", i, img.Width, img.Height, size, size)
		}
	}
	if size < trunkCfg.Reduction() {
		return nil, fmt.Errorf("finetune: %d px images are smaller than the trunk's %d px cells", size, trunkCfg.Reduction())
	}
	// The scratch trunk's random init uses its own stream, so the head
	// initialisation below is identical across modes for a seed.
	trunk := nn.NewTrunk(trunkCfg, rand.New(rand.NewPCG(cfg.Seed, 0x7e1)))
	if cfg.Mode != Scratch {
		trunk.CopyFrom(pretrained)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0xf17e))
	head := nn.NewHead(nn.HeadConfig{Kind: nn.Classifier, Classes: len(data.Classes)}, trunkCfg.Channels(), rng)
	f := &Finetuner{
		Config: cfg, data: data, rng: rng, meter: newMeter(20),
		Model: &nn.Model{Trunk: trunk, Head: head, FreezeTrunk: cfg.Mode == LinearProbe},
	}
	f.batch = min(cfg.Batch, data.Len())
	f.steps = max(1, cfg.Epochs*data.Len()/f.batch)
	f.headOpt = &nn.SGD{Momentum: 0.9, Nesterov: true, WeightDecay: cfg.WeightDecay}
	f.trunkOpt = &nn.SGD{Momentum: 0.9, Nesterov: true, WeightDecay: cfg.WeightDecay}
	f.sched = nn.WarmupCosine{Base: cfg.LR, Min: 0, Warmup: f.steps / 50, Total: f.steps}
	f.imgs = make([]*pretext.Image, f.batch)
	f.y = make([]int, f.batch)
	return f, nil
}

// Done reports whether the budget is spent.
func (f *Finetuner) Done() bool { return f.step >= f.steps }

// Steps is the number of optimizer steps in the budget.
func (f *Finetuner) Steps() int { return f.steps }

// StepsDone is the number of optimizer steps taken.
func (f *Finetuner) StepsDone() int { return f.step }

// Info describes the trained classifier for SaveModel; task names the
// pretext task its trunk was pretrained on ("" for scratch).
func (f *Finetuner) Info(task string) ModelInfo {
	if f.Config.Mode == Scratch {
		task = ""
	}
	return ModelInfo{ImageSize: f.data.Images[0].Width, Classes: f.data.Classes, Task: task, Mode: f.Config.Mode}
}

// Step trains on one batch; it returns false once the budget is spent.
func (f *Finetuner) Step() bool {
	if f.Done() {
		return false
	}
	start := time.Now()
	size := f.data.Images[0].Width
	for i := range f.batch {
		if f.cursor == len(f.order) {
			f.order = f.rng.Perm(f.data.Len())
			f.cursor = 0
		}
		j := f.order[f.cursor]
		f.cursor++
		img := f.data.Images[j]
		if f.Config.Augment {
			img = pretext.RandomCropPad(img, size, max(1, size/8), f.rng)
			if f.rng.IntN(2) == 0 {
				img = pretext.HorizontalFlip(img)
			}
		}
		f.imgs[i] = img
		f.y[i] = f.data.Labels[j]
	}
	f.x = batchInput(f.imgs, f.x)
	lr := f.sched.LR(f.step)
	f.Model.ZeroGrad()
	logits := f.Model.Forward(f.x, true)
	f.dlogits = nn.Ensure(f.dlogits, logits.Shape...)
	loss, correct := f.loss.Forward(logits, f.y, f.dlogits)
	f.Model.Backward(f.dlogits)
	f.headOpt.SetLR(lr)
	f.headOpt.Step(f.Model.Head.Params())
	if !f.Model.FreezeTrunk {
		f.trunkOpt.SetLR(lr * f.Config.TrunkLRScale)
		f.trunkOpt.Step(f.Model.Trunk.Params())
	}
	f.step++
	f.meter.add(loss, float64(correct)/float64(f.batch), f.batch, time.Since(start))
	return true
}

// Progress is the run's current snapshot.
func (f *Finetuner) Progress() Progress {
	return f.meter.snapshot(f.Config.Mode, f.step, f.steps, f.batch)
}

// Run steps until the budget is spent or ctx is cancelled.
func (f *Finetuner) Run(ctx context.Context, report Reporter, every time.Duration) error {
	return runSteps(ctx, f.Step, f.Progress, report, every)
}
