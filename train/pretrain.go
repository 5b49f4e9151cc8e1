package train

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// PretrainConfig describes a self-supervised pretraining run.
type PretrainConfig struct {
	Task      string         // a registered pretext task (pretext.Names), e.g. "rotation"
	ImageSize int            // side of the pool's images, in pixels
	Trunk     nn.TrunkConfig // the network that learns features
	Hidden    int            // hidden width of the tile-set head (jigsaw, context)
	// The budget: Samples pretext samples (rotation counts each rotated
	// copy), or, when Epochs > 0, that many passes over the pool.
	Samples     int
	Epochs      float64
	Batch       int     // samples per optimizer step (rounded to whole images)
	Optimizer   string  // "sgd" (Nesterov momentum 0.9, the default) or "adam"
	LR          float64 // peak learning rate of the warm-up + cosine schedule
	WeightDecay float64
	Warmup      float64 // fraction of steps spent warming the learning rate up
	Rebalance   float64 // colorization: class-rebalancing strength λ (0 = off)
	Seed        uint64
}

// DefaultPretrain returns sensible settings for a task on images of a given size.
func DefaultPretrain(task string, imageSize int) PretrainConfig {
	return PretrainConfig{
		Task: task, ImageSize: imageSize, Trunk: nn.DefaultTrunk(), Hidden: 256,
		Samples: 200_000, Batch: 64, Optimizer: "sgd", LR: 0.05, WeightDecay: 5e-4, Warmup: 0.02,
		Rebalance: 0.5, Seed: 1,
	}
}

func (c PretrainConfig) validate(poolSize int) error {
	if err := c.Trunk.Validate(); err != nil {
		return fmt.Errorf("pretrain: %w", err)
	}
	switch {
	case poolSize == 0:
		return fmt.Errorf("pretrain: the unlabeled pool is empty")
	case c.ImageSize < 16:
		return fmt.Errorf("pretrain: image size %d is too small (need ≥ 16)", c.ImageSize)
	case c.Samples <= 0 && c.Epochs <= 0:
		return fmt.Errorf("pretrain: budget must be positive, have %d samples and %g epochs", c.Samples, c.Epochs)
	case c.Batch <= 0:
		return fmt.Errorf("pretrain: batch must be positive, have %d", c.Batch)
	case c.LR <= 0:
		return fmt.Errorf("pretrain: learning rate must be positive, have %g", c.LR)
	case c.Optimizer != "" && c.Optimizer != "sgd" && c.Optimizer != "adam":
		return fmt.Errorf("pretrain: unknown optimizer %q (want sgd or adam)", c.Optimizer)
	case c.Warmup < 0 || c.Warmup >= 1:
		return fmt.Errorf("pretrain: warm-up fraction %g outside [0, 1)", c.Warmup)
	}
	return nil
}

// Random streams of a pretraining run. Every draw is re-derived from
// (Seed, stream): the weights from streamInit, the pass order of epoch e
// from streamEpoch+e, and the pretext sample of image i of step s from the
// PCG seeded (Seed + i·imageStride, streamStep+s). So a run resumed at step
// s continues exactly as the uninterrupted run would, and a data-parallel
// replica makes exactly the images [lo, hi) of the batch that a single
// worker would.
const (
	streamInit      = 0x5eed
	streamEpoch     = 0x65706f6368000000 // "epoch"
	streamStep      = 0x7374657000000000 // "step"
	streamRebalance = 0x7265626100000000 // "reba"
	imageStride     = 0x9e3779b97f4a7c15 // odd (2⁶⁴/φ), so i ↦ i·imageStride is one-to-one
)

// Pretrainer trains a trunk on a pretext task, one optimizer step at a time,
// so a caller (the CLI's loop, the browser worker) can pause between steps:
// pausing is not calling Step. SaveCheckpoint and ResumePretrainer persist it.
// Shard makes it one replica of a data-parallel run (shard.go).
type Pretrainer struct {
	Config PretrainConfig
	Task   pretext.Task
	Model  *nn.Model

	pool        []*pretext.Image
	opt         nn.Optimizer
	sched       nn.Schedule
	loss        nn.SoftmaxCrossEntropy
	step, steps int
	images      int // images per step
	order       []int
	epoch       int        // the epoch order holds, or -1
	batchStep   int        // the step whose samples x and y hold, or -1
	x, dlogits  *nn.Tensor // x: this replica's images of the batch
	y, pred     []int
	meter       *meter
	pcg         *rand.PCG  // re-seeded per image (see the streams above)
	rng         *rand.Rand // draws from pcg
	params      []*nn.Param
	paramsOf    *nn.Model // the model params was taken from
	shard                 // data-parallel state (shard.go)
}

// NewPretrainer prepares a run on the pool of unlabeled images, which must
// all be ImageSize×ImageSize.
func NewPretrainer(cfg PretrainConfig, pool []*pretext.Image) (*Pretrainer, error) {
	if cfg.Optimizer == "" {
		cfg.Optimizer = "sgd"
	}
	if err := cfg.validate(len(pool)); err != nil {
		return nil, err
	}
	for i, img := range pool {
		if img.Width != cfg.ImageSize || img.Height != cfg.ImageSize {
			return nil, fmt.Errorf("pretrain: image %d is %d×%d, want %d×%d", i, img.Width, img.Height, cfg.ImageSize, cfg.ImageSize)
		}
	}
	task, err := NewTask(cfg.Task, cfg.ImageSize, cfg.Trunk)
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, streamInit))
	trunk := nn.NewTrunk(cfg.Trunk, rng)
	head := nn.NewHead(headFor(task, cfg.Hidden), cfg.Trunk.Channels(), rng)
	p := &Pretrainer{
		Config: cfg, Task: task, Model: &nn.Model{Trunk: trunk, Head: head},
		pool: pool, meter: newMeter(50), epoch: -1, batchStep: -1,
		pcg: rand.NewPCG(0, 0),
	}
	p.rng = rand.New(p.pcg)
	per := task.SamplesPerImage()
	p.images = max(1, cfg.Batch/per)
	budget := cfg.Samples
	if cfg.Epochs > 0 {
		budget = int(cfg.Epochs * float64(len(pool)*per))
	}
	p.steps = max(1, budget/(p.images*per))
	if cfg.Optimizer == "adam" {
		a := nn.NewAdam(cfg.LR)
		a.WeightDecay, a.Decoupled = cfg.WeightDecay, true
		p.opt = a
	} else {
		p.opt = &nn.SGD{LR: cfg.LR, Momentum: 0.9, Nesterov: true, WeightDecay: cfg.WeightDecay}
	}
	p.sched = nn.WarmupCosine{Base: cfg.LR, Min: cfg.LR * 0.01, Warmup: int(cfg.Warmup * float64(p.steps)), Total: p.steps}
	if c, ok := task.(*pretext.Colorization); ok && cfg.Rebalance > 0 {
		p.loss.ClassWeights = c.RebalanceWeights(sampleImages(pool, 2000, rand.New(rand.NewPCG(cfg.Seed, streamRebalance))), cfg.Rebalance)
	}
	p.Shard(0, 1, nil)
	return p, nil
}

// NewTask builds the named pretext task (see pretext.New) for images of
// the given size, shaped to fit a trunk of the given configuration
// (colorization predicts one colour bin per cell of the trunk's feature
// map). It is an error if the task's tiles are smaller than one cell of the
// trunk's feature map.
func NewTask(name string, imageSize int, trunk nn.TrunkConfig) (pretext.Task, error) {
	return pretext.New(name, imageSize, trunk.Reduction())
}

// headFor builds the head a task's Spec declares: a linear classifier over
// the pooled feature map (WholeImage), a hidden layer of width hidden over
// the concatenated tile features (TileSet), or 1×1 convolutions with hidden/2
// channels per cell (PerCell).
func headFor(task pretext.Task, hidden int) nn.HeadConfig {
	spec, ok := pretext.Lookup(task.Name())
	if !ok {
		panic(fmt.Sprintf("train: task %q is not registered", task.Name()))
	}
	switch spec.Head {
	case pretext.PerCell:
		return nn.HeadConfig{Kind: nn.PerCell, Classes: task.Classes(), Hidden: hidden / 2}
	case pretext.TileSet:
		return nn.HeadConfig{Kind: nn.TileSet, Classes: task.Classes(), Tiles: task.Tiles(), Hidden: hidden}
	case pretext.WholeImage:
		return nn.HeadConfig{Kind: nn.Classifier, Classes: task.Classes()}
	}
	panic(fmt.Sprintf("train: task %q declares unknown head %d", task.Name(), spec.Head))
}

func sampleImages(pool []*pretext.Image, n int, rng *rand.Rand) []*pretext.Image {
	if len(pool) <= n {
		return pool
	}
	out := make([]*pretext.Image, n)
	for i, j := range rng.Perm(len(pool))[:n] {
		out[i] = pool[j]
	}
	return out
}

// Done reports whether the budget is spent.
func (p *Pretrainer) Done() bool { return p.step >= p.steps }

// Steps is the number of optimizer steps in the budget.
func (p *Pretrainer) Steps() int { return p.steps }

// StepsDone is the number of optimizer steps taken.
func (p *Pretrainer) StepsDone() int { return p.step }

// Step makes one batch of pretext samples and takes one optimizer step.
// It returns false (and does nothing) once the budget is spent, and false
// when a data-parallel step failed (see Shard and Err).
func (p *Pretrainer) Step() bool {
	if p.Done() || p.err != nil {
		return false
	}
	if p.ex != nil {
		return p.stepShard()
	}
	start := time.Now()
	p.makeBatch()
	p.opt.SetLR(p.sched.LR(p.step))
	params := p.zeroGrad()
	logits := p.Model.Forward(p.x, true)
	p.dlogits = nn.Ensure(p.dlogits, logits.Shape...)
	loss, correct := p.loss.Forward(logits, p.y, p.dlogits)
	p.Model.Backward(p.dlogits)
	p.opt.Step(params)
	p.step++
	samples := len(p.y) / p.Task.Positions()
	p.meter.add(loss, float64(correct)/float64(len(p.y)), samples, time.Since(start))
	return true
}

// zeroGrad clears the gradients of p.Model.Params() (every parameter: the
// pretraining model has no frozen part) and returns them. It keeps the list
// between steps, so a step does not allocate.
func (p *Pretrainer) zeroGrad() []*nn.Param {
	if p.paramsOf != p.Model {
		p.params, p.paramsOf = p.Model.Params(), p.Model
	}
	for _, q := range p.params {
		clear(q.Grad)
	}
	return p.params
}

// makeBatch fills x and y with the samples of the current step: the next
// images of the epoch's shuffled pass over the pool, those of this
// replica's shard [lo, hi) only.
func (p *Pretrainer) makeBatch() {
	if p.batchStep == p.step {
		return
	}
	t := p.Task
	per := t.SamplesPerImage()
	xs := t.Tiles() * 3 * t.TileSize() * t.TileSize() * per
	ys := t.Positions() * per
	n := len(p.pool)
	for i := p.lo; i < p.hi; i++ {
		k := p.step*p.images + i
		if e := k / n; e != p.epoch {
			p.order = rand.New(rand.NewPCG(p.Config.Seed, streamEpoch+uint64(e))).Perm(n)
			p.epoch = e
		}
		p.pcg.Seed(p.Config.Seed+uint64(i)*imageStride, streamStep+uint64(p.step))
		j := i - p.lo
		t.Make(p.pool[p.order[k%n]], p.rng, p.x.Data[j*xs:(j+1)*xs], p.y[j*ys:(j+1)*ys])
	}
	p.batchStep = p.step
}

// Progress is the run's current snapshot.
func (p *Pretrainer) Progress() Progress {
	return p.meter.snapshot("pretrain", p.step, p.steps, p.images*p.Task.SamplesPerImage())
}

// Example is one pretext sample from the latest batch with the model's answer.
type Example struct {
	Picture *pretext.Image // the task's rendering: input, answer and truth
	Target  []int
	Pred    []int
	Right   bool // every target position predicted correctly
}

// Examples renders up to n samples of the most recent batch (of the first
// batch before any step) with the model's predictions, computed in
// evaluation mode so that it does not disturb training.
func (p *Pretrainer) Examples(n int) []Example {
	t := p.Task
	if p.batchStep < 0 {
		p.makeBatch()
	}
	per := t.Tiles() * 3 * t.TileSize() * t.TileSize()
	total := len(p.y) / t.Positions()
	n = min(n, total)
	if n <= 0 {
		return nil
	}
	x := nn.FromData(p.x.Data[:n*per], n*t.Tiles(), 3, t.TileSize(), t.TileSize())
	logits := p.Model.Forward(x, false)
	p.pred = argmaxPositions(logits, p.pred)
	out := make([]Example, n)
	for i := range n {
		ys := p.y[i*t.Positions() : (i+1)*t.Positions()]
		ps := p.pred[i*t.Positions() : (i+1)*t.Positions()]
		right := true
		for j := range ys {
			right = right && ys[j] == ps[j]
		}
		out[i] = Example{
			Picture: t.Render(p.x.Data[i*per:(i+1)*per], ys, ps),
			Target:  append([]int(nil), ys...),
			Pred:    append([]int(nil), ps...),
			Right:   right,
		}
	}
	return out
}

// argmaxPositions returns the argmax class at every position of logits
// shaped (N, K) or (N, K, H, W), in n-major then position order.
func argmaxPositions(logits *nn.Tensor, dst []int) []int {
	n, k := logits.Shape[0], logits.Shape[1]
	inner := 1
	for _, d := range logits.Shape[2:] {
		inner *= d
	}
	dst = dst[:0]
	for i := range n {
		for pos := range inner {
			best := 0
			for c := 1; c < k; c++ {
				if logits.Data[(i*k+c)*inner+pos] > logits.Data[(i*k+best)*inner+pos] {
					best = c
				}
			}
			dst = append(dst, best)
		}
	}
	return dst
}

// Run steps until the budget is spent or ctx is cancelled (returning
// ctx.Err(); the pretrainer can then be checkpointed or stepped on),
// reporting progress every `every` and once at the end.
func (p *Pretrainer) Run(ctx context.Context, report Reporter, every time.Duration) error {
	return runSteps(ctx, p.Step, p.Progress, report, every)
}

func runSteps(ctx context.Context, step func() bool, progress func() Progress, report Reporter, every time.Duration) error {
	last := time.Now()
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if !step() {
			break
		}
		if report != nil && time.Since(last) >= every {
			report(progress())
			last = time.Now()
		}
	}
	if report != nil {
		report(progress())
	}
	return nil
}
