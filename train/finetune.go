package train

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// Downstream training modes.
const (
	FineTune    = "finetune" // all layers train, starting from the pretrained trunk
	LinearProbe = "linear"   // the trunk is frozen; only the classifier head trains
	Scratch     = "scratch"  // same network, random initialisation, same data and schedule
	// SemiSupervised is FineTune plus a loss on the unlabeled images, whose
	// labels the model guesses itself (pseudo-labels, see SemiConfig).
	SemiSupervised = "semi"
)

// FinetuneConfig describes supervised training of a classifier on labels,
// and, in SemiSupervised mode, on the unlabeled pool too.
//
// The budget is Epochs passes over the labeled images, in steps of Batch
// labeled images; every mode with the same Epochs and Batch takes the same
// number of steps on the same labeled batches (the same images, the same
// augmentation) for a seed, so the arms differ only in their start and in
// what SemiSupervised adds.
type FinetuneConfig struct {
	Mode         string
	Epochs       int
	Batch        int
	LR           float64 // head learning rate (SGD, Nesterov momentum 0.9, cosine schedule)
	TrunkLRScale float64 // trunk learning rate = LR × TrunkLRScale
	WeightDecay  float64
	Augment      bool    // random crop with 4 px padding (scaled to the image) and horizontal flip
	Smoothing    float64 // label smoothing ε of the labeled loss
	// EMA is the decay of an exponential moving average of the weights
	// (nn.EMA); when positive, Classifier is that average. 0 turns it off.
	EMA  float64
	Semi SemiConfig // SemiSupervised only
	Seed uint64
}

// DefaultFinetune returns sensible settings for a mode.
//
// Fine-tuning trains the trunk at the head's full learning rate
// (TrunkLRScale 1), the same schedule as the scratch baseline: on CIFAR-10
// with 100 labels per class, features from a budget a browser can afford
// are an initialisation to refine, not a fixed extractor; scaling the trunk's
// rate to 0.2 made fine-tuning worse than scratch (experiments/notes.md).
// Every mode evaluates a weight average (EMA 0.999), which helps the
// scratch baseline as much as the others.
func DefaultFinetune(mode string) FinetuneConfig {
	c := FinetuneConfig{Mode: mode, Epochs: 30, Batch: 64, LR: 0.05, TrunkLRScale: 1, WeightDecay: 5e-4, Augment: true,
		EMA: 0.999, Seed: 1, Semi: DefaultSemi()}
	if mode == LinearProbe {
		c.LR, c.WeightDecay = 0.1, 0
	}
	return c
}

// Random streams of a downstream run, derived from (Seed, stream) as in
// pretraining: the pass order of epoch e over the labeled images from
// streamLabeledEpoch+e, the augmentation of slot i of step s from the PCG
// seeded (Seed + i·imageStride, streamLabeled+s); the same for the
// unlabeled pool with its own streams. So replicas of a data-parallel run
// make exactly the images of their shard that one worker would.
const (
	streamHead           = 0xf17e
	streamScratchTrunk   = 0x7e1
	streamLabeledEpoch   = 0x6c65706f63680000 // "lepoch"
	streamLabeled        = 0x6c73746570000000 // "lstep"
	streamUnlabeledEpoch = 0x75657063680000   // "uepch"
	streamUnlabeled      = 0x7573746570000000 // "ustep"
)

// Finetuner trains a classifier one optimizer step at a time.
type Finetuner struct {
	Config FinetuneConfig
	Model  *nn.Model
	ema    *nn.EMA

	data        *imageio.Dataset
	headOpt     *nn.SGD
	trunkOpt    *nn.SGD
	sched       nn.Schedule
	loss        nn.SoftmaxCrossEntropy
	step, steps int
	batch       int
	labeled     cursor // the labeled images' pass order
	x, dlogits  *nn.Tensor
	y           []int
	meter       *meter
	imgs        []*pretext.Image
	pcg         *rand.PCG
	rng         *rand.Rand
	semi        *semiState // SemiSupervised only
	ftShard                // data-parallel state (finetune_shard.go)
}

// cursor walks epoch after epoch of shuffled passes over n items: item k of
// the run (k = step·batch + slot) is order_e[k mod n] with e = ⌊k/n⌋, the
// order drawn from (seed, stream+e).
type cursor struct {
	n, epoch int
	seed     uint64
	stream   uint64
	order    []int
}

func newCursor(n int, seed, stream uint64) cursor {
	return cursor{n: n, epoch: -1, seed: seed, stream: stream}
}

// at returns the index of run item k.
func (c *cursor) at(k int) int {
	if e := k / c.n; e != c.epoch {
		c.order = rand.New(rand.NewPCG(c.seed, c.stream+uint64(e))).Perm(c.n)
		c.epoch = e
	}
	return c.order[k%c.n]
}

// NewFinetuner prepares downstream training on a labeled dataset.
// For FineTune, LinearProbe and SemiSupervised, pretrained is copied (never
// modified); for Scratch it is ignored and a trunk of config trunkCfg starts
// from random weights (SemiSupervised with a nil pretrained trunk starts from
// random weights too: pseudo-labelling alone). pool is the unlabeled images
// SemiSupervised learns from (ignored by the other modes), all the size of
// the labeled ones. The head and the data order depend only on Seed, so a
// scratch run and a pretrained run with the same seed see the same batches.
func NewFinetuner(cfg FinetuneConfig, pretrained *nn.Trunk, trunkCfg nn.TrunkConfig, data *imageio.Dataset, pool []*pretext.Image) (*Finetuner, error) {
	switch {
	case cfg.Mode != FineTune && cfg.Mode != LinearProbe && cfg.Mode != Scratch && cfg.Mode != SemiSupervised:
		return nil, fmt.Errorf("finetune: unknown mode %q (want %s, %s, %s or %s)", cfg.Mode, FineTune, LinearProbe, SemiSupervised, Scratch)
	case (cfg.Mode == FineTune || cfg.Mode == LinearProbe) && pretrained == nil:
		return nil, fmt.Errorf("finetune: mode %s needs a pretrained trunk", cfg.Mode)
	case data == nil || data.Len() == 0 || !data.Labeled():
		return nil, fmt.Errorf("finetune: no labeled images")
	case len(data.Classes) < 2:
		return nil, fmt.Errorf("finetune: need at least 2 classes, have %d", len(data.Classes))
	case cfg.Epochs <= 0 || cfg.Batch <= 0 || cfg.LR <= 0:
		return nil, fmt.Errorf("finetune: epochs, batch and learning rate must be positive")
	case cfg.Smoothing < 0 || cfg.Smoothing >= 1:
		return nil, fmt.Errorf("finetune: label smoothing %g outside [0, 1)", cfg.Smoothing)
	case cfg.EMA < 0 || cfg.EMA >= 1:
		return nil, fmt.Errorf("finetune: EMA decay %g outside [0, 1)", cfg.EMA)
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
	trunk := nn.NewTrunk(trunkCfg, rand.New(rand.NewPCG(cfg.Seed, streamScratchTrunk)))
	if pretrained != nil && cfg.Mode != Scratch {
		trunk.CopyFrom(pretrained)
	}
	head := nn.NewHead(nn.HeadConfig{Kind: nn.Classifier, Classes: len(data.Classes)}, trunkCfg.Channels(), rand.New(rand.NewPCG(cfg.Seed, streamHead)))
	f := &Finetuner{
		Config: cfg, data: data, meter: newMeter(20),
		Model:   &nn.Model{Trunk: trunk, Head: head, FreezeTrunk: cfg.Mode == LinearProbe},
		labeled: newCursor(data.Len(), cfg.Seed, streamLabeledEpoch),
		pcg:     rand.NewPCG(0, 0),
	}
	f.rng = rand.New(f.pcg)
	f.loss.Smoothing = float32(cfg.Smoothing)
	f.batch = min(cfg.Batch, data.Len())
	f.steps = max(1, cfg.Epochs*data.Len()/f.batch)
	f.headOpt = &nn.SGD{Momentum: 0.9, Nesterov: true, WeightDecay: cfg.WeightDecay}
	f.trunkOpt = &nn.SGD{Momentum: 0.9, Nesterov: true, WeightDecay: cfg.WeightDecay}
	f.sched = nn.WarmupCosine{Base: cfg.LR, Min: 0, Warmup: f.steps / 50, Total: f.steps}
	if cfg.Mode == SemiSupervised {
		s, err := newSemiState(cfg, f.batch, pool, size, len(data.Classes))
		if err != nil {
			return nil, err
		}
		f.semi = s
	}
	if cfg.EMA > 0 {
		f.ema = nn.NewEMA(f.Model, cfg.EMA)
	}
	f.Shard(0, 1, nil)
	return f, nil
}

// Done reports whether the budget is spent.
func (f *Finetuner) Done() bool { return f.step >= f.steps }

// Steps is the number of optimizer steps in the budget.
func (f *Finetuner) Steps() int { return f.steps }

// StepsDone is the number of optimizer steps taken.
func (f *Finetuner) StepsDone() int { return f.step }

// Classifier is the model to evaluate and keep: the weight average when
// Config.EMA > 0, else the trained model itself.
func (f *Finetuner) Classifier() *nn.Model {
	if f.ema != nil {
		return f.ema.Model
	}
	return f.Model
}

// Info describes the trained classifier for SaveModel; task names the
// pretext task its trunk was pretrained on ("" for scratch).
func (f *Finetuner) Info(task string) ModelInfo {
	if f.Config.Mode == Scratch {
		task = ""
	}
	return ModelInfo{ImageSize: f.data.Images[0].Width, Classes: f.data.Classes, Task: task, Mode: f.Config.Mode}
}

// makeLabeled fills f.imgs and f.y with this replica's labeled images
// [lo, hi) of the current step's batch, augmented.
func (f *Finetuner) makeLabeled() {
	size := f.data.Images[0].Width
	for i := f.lo; i < f.hi; i++ {
		j := f.labeled.at(f.step*f.batch + i)
		img := f.data.Images[j]
		if f.Config.Augment {
			f.pcg.Seed(f.Config.Seed+uint64(i)*imageStride, streamLabeled+uint64(f.step))
			img = weakAugment(img, size, f.rng)
		}
		f.imgs[i-f.lo] = img
		f.y[i-f.lo] = f.data.Labels[j]
	}
}

// weakAugment is the labeled images' augmentation: a random crop of the
// image padded by size/8 (4 px at 32 px) and a horizontal flip with
// probability ½.
func weakAugment(img *pretext.Image, size int, rng *rand.Rand) *pretext.Image {
	img = pretext.RandomCropPad(img, size, max(1, size/8), rng)
	if rng.IntN(2) == 0 {
		img = pretext.HorizontalFlip(img)
	}
	return img
}

// Step trains on one batch; it returns false once the budget is spent, and
// false when a data-parallel step failed (see Shard and Err).
//
// The loss of a step with B labeled images (labels y, smoothing ε) is
//
//	L = (1/B) Σ_i ℓ_ε(x_i, y_i) + L_u
//
// where L_u is SemiSupervised's unlabeled term (semisup.go), 0 otherwise.
func (f *Finetuner) Step() (ok bool) {
	if f.Done() || f.err != nil {
		return false
	}
	start := time.Now()
	if f.ex != nil {
		f.save()
		defer func() {
			if r := recover(); r != nil {
				e, is := r.(exchangeFailure)
				if !is {
					panic(r)
				}
				ok = f.fail(e.err)
			}
		}()
	}
	f.makeLabeled()
	nl := f.hi - f.lo
	imgs := f.imgs[:nl]
	var unl []int // pseudo-labels of the strong views appended to the batch
	if f.semi != nil {
		imgs, unl = f.pseudoLabel(imgs)
	}
	f.x = batchInput(imgs, f.x)
	lr := f.sched.LR(f.step)
	f.Model.ZeroGrad()
	logits := f.Model.Forward(f.x, true)
	f.dlogits = nn.Ensure(f.dlogits, logits.Shape...)
	_, k := logits.Dims2()
	// Labeled rows: mean over the global batch of B, so that the replicas'
	// gradients add up to the whole batch's.
	lab := nn.FromData(logits.Data[:nl*k], nl, k)
	dlab := nn.FromData(f.dlogits.Data[:nl*k], nl, k)
	loss, correct := f.loss.Forward(lab, f.y[:nl], dlab)
	scaleRows(dlab.Data, float32(nl)/float32(f.batch))
	r := f.reduce
	r[0], r[1] = loss*float64(nl), float64(correct)
	clear(r[2:])
	if f.semi != nil {
		f.semi.lossRows(logits, f.dlogits, nl, unl, r)
	}
	if f.ex != nil {
		if err := f.ex.Sum(r); err != nil {
			return f.fail(err)
		}
	}
	f.Model.Backward(f.dlogits)
	if f.ex != nil {
		f.grads = nn.FlattenGrads(f.grads, f.params)
		if err := f.ex.Sum32(f.grads); err != nil {
			return f.fail(err)
		}
		nn.ScatterGrads(f.params, f.grads)
	}
	f.headOpt.SetLR(lr)
	f.headOpt.Step(f.Model.Head.Params())
	if !f.Model.FreezeTrunk {
		f.trunkOpt.SetLR(lr * f.Config.TrunkLRScale)
		f.trunkOpt.Step(f.Model.Trunk.Params())
	}
	if f.ema != nil {
		f.ema.Update()
	}
	if f.semi != nil {
		f.semi.record(r, f.step)
	}
	f.step++
	f.meter.add(r[0]/float64(f.batch), r[1]/float64(f.batch), f.batch, time.Since(start))
	return true
}

// scaleRows multiplies v by s.
func scaleRows(v []float32, s float32) {
	if s == 1 {
		return
	}
	for i := range v {
		v[i] *= s
	}
}

// Progress is the run's current snapshot: Loss and Accuracy are the
// labeled batches'.
func (f *Finetuner) Progress() Progress {
	p := f.meter.snapshot(f.Config.Mode, f.step, f.steps, f.batch)
	if f.semi != nil {
		p.PseudoLabeled, p.PseudoAccuracy = f.semi.rates()
	}
	return p
}

// Run steps until the budget is spent or ctx is cancelled.
func (f *Finetuner) Run(ctx context.Context, report Reporter, every time.Duration) error {
	return runSteps(ctx, f.Step, f.Progress, report, every)
}
