package train

import (
	"fmt"
	"time"

	"github.com/tessera-ssl/tessera/nn"
)

// Data-parallel pretraining. K replicas, each a Pretrainer built from the
// same config (so the same initial weights and optimizer state), split every
// batch of B images: replica k makes, with the same random streams, exactly
// the images [lo_k, hi_k) = nn.ShardRange(B, K, k) that one worker would,
// and one step is
//
//	forward on the shard, batch norm synchronized (nn.SyncBatchNorm): every
//	  layer normalises with the whole batch's statistics
//	loss on the shard: L_k = Σ_{i∈k} w_i ℓ_i / W_k, W_k = Σ_{i∈k} w_i
//	  (w_i the class weight of a non-ignored position, 1 without weights)
//	one Sum of [W_k, W_k·L_k, correct_k, positions_k]: every replica knows
//	  W = Σ W_k, the batch loss L = Σ W_k L_k / W and the accuracy
//	backward of (W_k/W)·L_k, so that Σ_k of the gradients is ∂L/∂θ
//	one Sum32 of the flattened parameter gradients
//	the optimizer step on the summed gradient, identical in every replica
//
// With an Exchanger that adds in a fixed order every replica holds
// bit-identical weights, and K replicas follow one worker's trajectory up to
// float rounding (the sums are taken in another order).

// shard is a Pretrainer's data-parallel state: index 0 of count 1 with a nil
// Exchanger in single-worker mode.
type shard struct {
	index, count int
	ex           Exchanger
	lo, hi       int // images of the batch this replica makes
	err          error

	sync   func([]float64) // the batch-norm hook, made once per Shard
	reduce []float64       // [W_k, W_k·L_k, correct_k, positions_k]
	grads  []float32       // flattened gradients
	bufferCheckpoint
}

// bufferCheckpoint keeps a model's layer buffers (batch-norm running
// statistics) as they were at the start of a data-parallel step, which is
// all a step that fails mid-way has changed: the optimizer runs last.
type bufferCheckpoint struct {
	buffers []*nn.Buffer
	saved   []float32
}

// save records the buffers' values.
func (c *bufferCheckpoint) save() {
	c.saved = c.saved[:0]
	for _, b := range c.buffers {
		c.saved = append(c.saved, b.Value...)
	}
}

// restore puts the saved values back.
func (c *bufferCheckpoint) restore() {
	off := 0
	for _, b := range c.buffers {
		off += copy(b.Value, c.saved[off:])
	}
}

// exchangeFailure carries an Exchanger's error out of a batch-norm Sync hook,
// which can only panic; stepShard recovers exactly this type.
type exchangeFailure struct{ err error }

// Shard makes p replica index of count in a data-parallel run whose
// replicas combine their partial results through ex (see train.Exchanger).
// Shards are whole images: replica index makes the images
// nn.ShardRange(images per step, count, index) of every batch. Shard(0, 1,
// nil) returns to single-worker mode; it may be called between any two
// steps, for example after a failed step, to carry on alone. A successful
// Shard clears Err and re-makes the current batch at the next step.
//
// Every replica must hold the same weights, optimizer state and step count
// (build them from the same config, or resume them from the same
// checkpoint). Shard panics on a bad index or count, when count > 1 and ex
// is nil, and when count exceeds the images per step (a replica must have
// at least one image: batch norm and the loss need samples). Progress
// reports the global loss and accuracy; Examples shows this replica's own
// samples. p.Model must not be replaced after Shard.
func (p *Pretrainer) Shard(index, count int, ex Exchanger) {
	switch {
	case count < 1 || index < 0 || index >= count:
		panic(fmt.Sprintf("train: Pretrainer.Shard(%d, %d): want 0 ≤ index < count", index, count))
	case ex == nil && count != 1:
		panic(fmt.Sprintf("train: Pretrainer.Shard(%d, %d, nil): several replicas need an Exchanger", index, count))
	case count > p.images:
		panic(fmt.Sprintf("train: Pretrainer.Shard(%d, %d): only %d images per step; every replica needs at least one", index, count, p.images))
	}
	p.index, p.count, p.ex, p.err = index, count, ex, nil
	p.lo, p.hi = nn.ShardRange(p.images, count, index)
	t := p.Task
	n := (p.hi - p.lo) * t.SamplesPerImage()
	s := t.TileSize()
	if p.x == nil || p.x.Shape[0] != n*t.Tiles() {
		p.x = nn.NewTensor(n*t.Tiles(), 3, s, s)
		p.y = make([]int, n*t.Positions())
	}
	p.batchStep = -1
	if ex == nil {
		nn.SyncBatchNorm(p.Model, nil)
		return
	}
	if p.sync == nil {
		p.sync = func(v []float64) {
			if err := p.ex.Sum(v); err != nil {
				panic(exchangeFailure{err})
			}
		}
	}
	nn.SyncBatchNorm(p.Model, p.sync)
	p.reduce = make([]float64, 4)
	p.buffers = p.Model.Buffers()
}

// Err is the error that made the last Step return false in data-parallel
// mode (it wraps the Exchanger's error and names the failed step, counting
// from 1), nil otherwise. The failed step left the model, its batch-norm
// statistics, the optimizer and the step count as they were before it, and
// Step keeps returning false until Shard is called again: Shard(0, 1, nil)
// to carry on alone, or a new group.
func (p *Pretrainer) Err() error { return p.err }

// stepShard is Step for a replica of a data-parallel run.
func (p *Pretrainer) stepShard() (ok bool) {
	start := time.Now()
	p.makeBatch()
	p.save()
	defer func() {
		if r := recover(); r != nil {
			f, is := r.(exchangeFailure)
			if !is {
				panic(r)
			}
			ok = p.fail(f.err)
		}
	}()
	p.opt.SetLR(p.sched.LR(p.step))
	params := p.zeroGrad()
	logits := p.Model.Forward(p.x, true)
	p.dlogits = nn.Ensure(p.dlogits, logits.Shape...)
	loss, correct := p.loss.Forward(logits, p.y, p.dlogits)
	wk := p.loss.Total()
	r := p.reduce
	r[0], r[1], r[2], r[3] = wk, wk*loss, float64(correct), float64(len(p.y))
	if err := p.ex.Sum(r); err != nil {
		return p.fail(err)
	}
	w := r[0]
	if w > 0 && wk != w {
		scale := float32(wk / w)
		for i := range p.dlogits.Data {
			p.dlogits.Data[i] *= scale
		}
	}
	p.Model.Backward(p.dlogits)
	p.grads = nn.FlattenGrads(p.grads, params)
	if err := p.ex.Sum32(p.grads); err != nil {
		return p.fail(err)
	}
	nn.ScatterGrads(params, p.grads)
	p.opt.Step(params)
	p.step++
	global := 0.0
	if w > 0 {
		global = r[1] / w
	}
	p.meter.add(global, r[2]/r[3], p.images*p.Task.SamplesPerImage(), time.Since(start))
	return true
}

// fail undoes what a failed step changed (only the buffers: the optimizer
// had not run) and records the error; it returns false for Step.
func (p *Pretrainer) fail(err error) bool {
	p.restore()
	p.err = fmt.Errorf("pretrain: step %d: exchanging with the other workers: %w", p.step+1, err)
	return false
}
