package train

import (
	"fmt"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// Data-parallel downstream training, as pretraining does it (shard.go): K
// replicas built from the same config split every step's B labeled images
// (and, in SemiSupervised mode, its U unlabeled ones) by nn.ShardRange;
// batch norm is synchronized; one Sum of
//
//	[Σ ℓ labeled, labeled correct, Σ ℓ unlabeled, pseudo-labelled, pseudo right]
//
// gives every replica the step's global figures, and one Sum32 of the
// gradients, each replica's already scaled to its share of the global mean,
// gives every replica the whole batch's gradient.

// ftShard is a Finetuner's data-parallel state: index 0 of count 1 with a
// nil Exchanger in single-worker mode.
type ftShard struct {
	index, count int
	ex           Exchanger
	lo, hi       int // labeled images of the batch this replica makes
	err          error

	sync   func([]float64)
	reduce []float64 // see above
	params []*nn.Param
	grads  []float32
	bufferCheckpoint
}

// Shard makes f replica index of count in a data-parallel run combining
// through ex, with the contract of Pretrainer.Shard: every replica holds the
// same weights, optimizer state and step count; Shard(0, 1, nil) returns to
// single-worker mode and clears Err. It panics on a bad index or count, when
// count > 1 and ex is nil, and when count exceeds the labeled images per
// step.
func (f *Finetuner) Shard(index, count int, ex Exchanger) {
	switch {
	case count < 1 || index < 0 || index >= count:
		panic(fmt.Sprintf("train: Finetuner.Shard(%d, %d): want 0 ≤ index < count", index, count))
	case ex == nil && count != 1:
		panic(fmt.Sprintf("train: Finetuner.Shard(%d, %d, nil): several replicas need an Exchanger", index, count))
	case count > f.batch:
		panic(fmt.Sprintf("train: Finetuner.Shard(%d, %d): only %d labeled images per step; every replica needs at least one", index, count, f.batch))
	}
	f.index, f.count, f.ex, f.err = index, count, ex, nil
	f.lo, f.hi = nn.ShardRange(f.batch, count, index)
	f.imgs = make([]*pretext.Image, f.hi-f.lo)
	f.y = make([]int, f.hi-f.lo)
	if f.semi != nil {
		f.semi.lo, f.semi.hi = nn.ShardRange(f.semi.batch, count, index)
	}
	f.reduce = make([]float64, 2)
	if f.semi != nil {
		f.reduce = make([]float64, 2+f.semi.reduceLen())
	}
	if ex == nil {
		nn.SyncBatchNorm(f.Model, nil)
		return
	}
	if f.sync == nil {
		f.sync = func(v []float64) {
			if err := f.ex.Sum(v); err != nil {
				panic(exchangeFailure{err})
			}
		}
	}
	nn.SyncBatchNorm(f.Model, f.sync)
	f.params = f.Model.Params() // the head's, and the trunk's unless frozen
	f.buffers = f.Model.Buffers()
}

// Err is the error that made the last Step return false in data-parallel
// mode, as Pretrainer.Err.
func (f *Finetuner) Err() error { return f.err }

// fail undoes what a failed step changed (the buffers) and records err.
func (f *Finetuner) fail(err error) bool {
	f.restore()
	f.err = fmt.Errorf("%s: step %d: exchanging with the other workers: %w", f.Config.Mode, f.step+1, err)
	return false
}
