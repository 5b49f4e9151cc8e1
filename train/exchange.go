package train

import "errors"

// Exchanger connects the replicas of a data-parallel run. Each of K replicas
// (workers, goroutines) holds a full copy of the model and computes its shard
// of every batch; at a few points per step they combine partial results:
// batch-norm statistics, the loss, and the gradients.
//
// Sum replaces v, in every replica, with the element-wise sum over replicas
// Σ_k v_k. Every replica calls Sum the same number of times, in the same
// order, with vectors of the same length; an implementation must add the K
// vectors in the same order (k = 0, 1, …) in every replica, so that all
// replicas hold bit-identical sums and so take bit-identical steps.
//
// Sum returns an error when the group is broken (a replica failed or the run
// was stopped); v's contents are then unspecified, and every later call
// fails too.
type Exchanger interface {
	Sum(v []float64) error
	Sum32(v []float32) error
}

// ErrStopped is returned by an Exchanger whose run was stopped on purpose.
var ErrStopped = errors.New("data-parallel run stopped")
