package trainer

import (
	"errors"
	"fmt"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Data-parallel pretraining. With K workers, the session's worker is the
// leader, replica 0; the host (Env.Replicas) starts replicas 1..K−1 in
// workers of their own. Every replica builds the same Pretrainer from the
// same config and pool, takes its shard of each batch (Pretrainer.Shard),
// and the replicas sum their partial results through a train.Exchanger,
// so all K take the same step and the model is the one a single worker
// would train, up to float rounding.
//
// When a replica fails, the group is broken: the leader's Step returns
// false with Pretrainer.Err set and the model exactly as before that step.
// The session reports which worker failed, stops the group, and carries on
// as a single worker (Shard(0, 1, nil)); nothing is lost, since every
// replica held the same model.

// ReplicaGroup is the replicas 1..K−1 of a running data-parallel
// pretraining, as the leader (replica 0) sees them.
type ReplicaGroup interface {
	// Exchanger is the leader's end of the group's exchange.
	Exchanger() train.Exchanger
	// Failure is the first replica failure (a *ReplicaError), or nil if no
	// replica has failed. It is set by the time the leader's exchange fails
	// because of it.
	Failure() error
	// Stop ends the run: every replica's pending and later exchanges fail
	// with train.ErrStopped and the replicas go idle. It returns once no
	// replica can touch the run any more (natively: their goroutines have
	// ended). Calling it again does nothing.
	Stop()
}

// ReplicaError is a replica that failed: worker Index+1 of Workers (the
// leader is worker 1).
type ReplicaError struct {
	Index, Workers int
	Err            error
}

func (e *ReplicaError) Error() string {
	return fmt.Sprintf("worker %d of %d failed: %v", e.Index+1, e.Workers, e.Err)
}

func (e *ReplicaError) Unwrap() error { return e.Err }

// ErrPreempted is the exchange error of a run whose host aborted it ahead
// of a Stop, Reset or ClearData message, so that the message is not held up
// by a replica that is slow to start or hangs; the leader goes on alone
// until it handles the message.
var ErrPreempted = errors.New("data-parallel exchange aborted for a waiting message")

// ErrFailHook is the failure the protocol.FailReplica test hook causes.
var ErrFailHook = errors.New("test hook: failing on purpose (FailReplica)")

// ReplicaJob is what a replica needs to take part in a run, besides the
// pool and the exchange. Between workers it travels as JSON in
// protocol.ReplicaJob.Job, which carries Index and Workers itself.
type ReplicaJob struct {
	Config train.PretrainConfig `json:"config"`
	// Downstream, when set, makes the run a downstream one (downstream.go)
	// and Config is unused.
	Downstream     *DownstreamJob `json:"downstream,omitempty"`
	Index, Workers int            `json:"-"`
	// Params is the model's number of parameters (nn.ParamLen of its
	// Params), the length of the largest vector exchanged: the leader
	// sets it from its own Pretrainer so the host need not build one.
	Params int `json:"-"`
	// Fail is the protocol.FailReplica test hook the session holds: with
	// AtStep > 0 the last replica panics after that many steps, and with
	// Mode protocol.FailExit its host ends the replica instead of
	// reporting.
	Fail protocol.FailReplica `json:"fail"`
}

// failsAt is the step at which this replica fails on purpose (the test
// hook), 0 if it does not.
func (j ReplicaJob) failsAt() int {
	if j.Index != j.Workers-1 {
		return 0
	}
	return j.Fail.AtStep
}

// RunReplica is a replica's whole run: it builds the Pretrainer, takes its
// shard and steps in lockstep with the others through ex until the budget
// is spent or the group breaks. It returns nil in both cases (a broken
// group is the leader's business: the exchange already knows why), and an
// error only when this replica itself failed: a bad config, or a panic,
// which it recovers (the error carries the panic's value, not its stack:
// it is shown to the user).
func RunReplica(job ReplicaJob, pool []*pretext.Image, ex train.Exchanger) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				err = fmt.Errorf("panic: %w", e)
			} else {
				err = fmt.Errorf("panic: %v", r)
			}
		}
	}()
	if job.Downstream != nil {
		return runDownstreamReplica(job, pool, ex)
	}
	p, err := train.NewPretrainer(job.Config, pool)
	if err != nil {
		return err
	}
	p.Shard(job.Index, job.Workers, ex)
	failAt := job.failsAt()
	for {
		if failAt > 0 && p.StepsDone() == failAt {
			panic(ErrFailHook)
		}
		if !p.Step() {
			return nil
		}
	}
}

// workersFor clamps the requested number of workers to [1, MaxWorkers]
// and to one whole image per worker per batch.
func workersFor(requested int, cfg train.PretrainConfig, task interface{ SamplesPerImage() int }) int {
	images := max(1, cfg.Batch/task.SamplesPerImage())
	return max(1, min(requested, protocol.MaxWorkers, images))
}
