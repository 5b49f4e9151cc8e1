package trainer

import (
	"bytes"
	"fmt"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

// Data-parallel downstream training. The two arms (the pretrained trunk,
// fine-tuned or semi-supervised, and the scratch baseline) run in every
// replica, sharded K ways (Finetuner.Shard) over one exchange: each
// replica steps the pretrained arm, then the scratch arm, so all make the
// same sequence of collective calls and both arms take the steps one
// worker would.

// DownstreamJob is what a replica needs to build both arms besides the
// pool: the pool is the unlabeled images followed by the labeled training
// images, whose labels are Labels (so they are the pool's last
// len(Labels)).
type DownstreamJob struct {
	Pretrained train.FinetuneConfig `json:"pretrained"`
	Scratch    train.FinetuneConfig `json:"scratch"`
	Classes    []string             `json:"classes"`
	Labels     []int                `json:"labels"`
	// Trunk is the pretrained model as .safetensors (train.SaveModel).
	Trunk []byte `json:"trunk"`
}

// downstreamPool is the images a downstream run's replicas share: the
// unlabeled ones, then the labeled training images.
func downstreamPool(unlabeled []*pretext.Image, trainSet *imageio.Dataset) []*pretext.Image {
	return append(append([]*pretext.Image(nil), unlabeled...), trainSet.Images...)
}

// newArms builds both arms from a job and its pool, identically in the
// leader and in every replica.
func newArms(d DownstreamJob, trunk *nn.Trunk, pool []*pretext.Image) (pre, scr *train.Finetuner, err error) {
	n := len(d.Labels)
	if n > len(pool) {
		return nil, nil, fmt.Errorf("downstream: %d labels for a pool of %d", n, len(pool))
	}
	trainSet := &imageio.Dataset{Images: pool[len(pool)-n:], Labels: d.Labels, Classes: d.Classes}
	var semiPool []*pretext.Image
	if d.Pretrained.Mode == train.SemiSupervised {
		semiPool = pool
	}
	if pre, err = train.NewFinetuner(d.Pretrained, trunk, trunk.Config, trainSet, semiPool); err != nil {
		return nil, nil, err
	}
	if scr, err = train.NewFinetuner(d.Scratch, nil, trunk.Config, trainSet, nil); err != nil {
		return nil, nil, err
	}
	return pre, scr, nil
}

// encodeTrunk is the pretrained model as a DownstreamJob carries it.
func encodeTrunk(m *nn.Model) ([]byte, error) {
	var b bytes.Buffer
	if err := train.SaveModel(&b, m, train.ModelInfo{}); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// runDownstreamReplica is RunReplica for a downstream job.
func runDownstreamReplica(job ReplicaJob, pool []*pretext.Image, ex train.Exchanger) error {
	m, _, err := train.LoadModel("pretrained trunk", job.Downstream.Trunk)
	if err != nil {
		return err
	}
	pre, scr, err := newArms(*job.Downstream, m.Trunk, pool)
	if err != nil {
		return err
	}
	pre.Shard(job.Index, job.Workers, ex)
	scr.Shard(job.Index, job.Workers, ex)
	failAt := job.failsAt()
	for {
		if failAt > 0 && pre.StepsDone() == failAt {
			panic(ErrFailHook)
		}
		a, b := pre.Step(), scr.Step()
		if !a && !b {
			return nil // the budget is spent, or the group broke: the leader's business
		}
	}
}
