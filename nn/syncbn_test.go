package nn_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

// summer is an in-test all-reduce for k goroutines: Sum(i, v) blocks until
// all k have called it, then every v holds Σ_j v_j added in index order.
type summer struct {
	mu      sync.Mutex
	cond    *sync.Cond
	k, seen int
	gen     int
	vs      [][]float64
}

func newSummer(k int) *summer {
	s := &summer{k: k, vs: make([][]float64, k)}
	s.cond = sync.NewCond(&s.mu)
	return s
}

func (s *summer) Sum(i int, v []float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vs[i] = v
	s.seen++
	if s.seen < s.k {
		for gen := s.gen; gen == s.gen; {
			s.cond.Wait()
		}
		return
	}
	for j := range v {
		t := 0.0
		for _, u := range s.vs {
			t += u[j]
		}
		for _, u := range s.vs {
			u[j] = t
		}
	}
	s.seen = 0
	s.gen++
	s.cond.Broadcast()
}

// worstSeen is the largest error closeTo has measured, for the test log.
var worstSeen float64

// closeTo reports the first index where got and want differ by more than
// tol·(1 + |want|).
func closeTo(got, want []float32, tol float64) (int, bool) {
	if len(got) != len(want) {
		return -1, false
	}
	for i := range want {
		e := math.Abs(float64(got[i])-float64(want[i])) / (1 + math.Abs(float64(want[i])))
		worstSeen = max(worstSeen, e)
		if e > tol {
			return i, false
		}
	}
	return 0, true
}

// TestSyncBatchNormMatchesWholeBatch splits a batch into K shards, runs one
// synchronized BatchNorm2D per shard in its own goroutine, and compares with
// one layer on the whole batch: outputs, dx, dγ and dβ summed over shards,
// and running statistics, over three train steps.
//
// Tolerance: 5e-6 relative (to 1 + |value|). The synchronized layer sums in
// another order and gets σ² from Σx² − m·μ² (in float64), so it differs from
// the two-pass single layer by float32 rounding; measured worst 4.2e-7 (native).
func TestSyncBatchNormMatchesWholeBatch(t *testing.T) {
	const tol = 5e-6
	defer func() { t.Logf("worst error %.3g (tolerance %.3g)", worstSeen, tol) }()
	for _, tc := range []struct {
		shape  [4]int
		k      int
		offset float32 // added to x: a large mean tests the variance's accuracy
	}{
		{[4]int{4, 3, 5, 5}, 2, 0},
		{[4]int{5, 3, 4, 4}, 2, 0}, // uneven: 3 + 2
		{[4]int{7, 2, 3, 3}, 3, 0}, // uneven: 3 + 2 + 2
		{[4]int{6, 4, 2, 2}, 3, 0},
		{[4]int{5, 2, 6, 6}, 3, 20},
		{[4]int{3, 2, 1, 1}, 3, 0}, // one value per channel per shard
		{[4]int{4, 2, 3, 3}, 1, 0}, // one replica: Sync is the identity
	} {
		t.Run(fmt.Sprintf("%v/K=%d/offset=%g", tc.shape, tc.k, tc.offset), func(t *testing.T) {
			n, c, h, w := tc.shape[0], tc.shape[1], tc.shape[2], tc.shape[3]
			rng := rand.New(rand.NewPCG(11, uint64(n*c)))
			whole := nn.NewBatchNorm2D(c)
			randomAffine(rng, whole)
			shards := make([]*nn.BatchNorm2D, tc.k)
			sum := newSummer(tc.k)
			for i := range shards {
				l := nn.NewBatchNorm2D(c)
				copy(l.Weight.Value, whole.Weight.Value)
				copy(l.Bias.Value, whole.Bias.Value)
				l.Sync = func(v []float64) { sum.Sum(i, v) }
				shards[i] = l
			}
			per := c * h * w
			y := make([]float32, n*per)
			dx := make([]float32, n*per)
			for step := range 3 {
				x := nntest.Random(rng, n, c, h, w)
				dy := nntest.Random(rng, n, c, h, w)
				for i := range x.Data {
					x.Data[i] = x.Data[i]*float32(1+step) + tc.offset
				}
				whole.Weight.Grad = make([]float32, c)
				whole.Bias.Grad = make([]float32, c)
				wantY := append([]float32(nil), whole.Forward(x, true).Data...)
				wantDx := whole.Backward(dy).Data

				var wg sync.WaitGroup
				for i, l := range shards {
					lo, hi := nn.ShardRange(n, tc.k, i)
					clear(l.Weight.Grad)
					clear(l.Bias.Grad)
					wg.Go(func() {
						xs := nn.FromData(x.Data[lo*per:hi*per], hi-lo, c, h, w)
						dys := nn.FromData(dy.Data[lo*per:hi*per], hi-lo, c, h, w)
						copy(y[lo*per:], l.Forward(xs, true).Data)
						copy(dx[lo*per:], l.Backward(dys).Data)
					})
				}
				wg.Wait()

				if i, ok := closeTo(y, wantY, tol); !ok {
					t.Fatalf("step %d: y[%d] = %v, whole batch %v", step, i, y[i], wantY[i])
				}
				if i, ok := closeTo(dx, wantDx, tol); !ok {
					t.Fatalf("step %d: dx[%d] = %v, whole batch %v", step, i, dx[i], wantDx[i])
				}
				dg, db := make([]float32, c), make([]float32, c)
				for _, l := range shards {
					for ci := range c {
						dg[ci] += l.Weight.Grad[ci]
						db[ci] += l.Bias.Grad[ci]
					}
				}
				if i, ok := closeTo(dg, whole.Weight.Grad, tol); !ok {
					t.Fatalf("step %d: Σ dγ[%d] = %v, whole batch %v", step, i, dg[i], whole.Weight.Grad[i])
				}
				if i, ok := closeTo(db, whole.Bias.Grad, tol); !ok {
					t.Fatalf("step %d: Σ dβ[%d] = %v, whole batch %v", step, i, db[i], whole.Bias.Grad[i])
				}
				for k, l := range shards {
					if i, ok := closeTo(l.RunningMean.Value, whole.RunningMean.Value, tol); !ok {
						t.Fatalf("step %d shard %d: running_mean[%d] = %v, whole batch %v", step, k, i, l.RunningMean.Value[i], whole.RunningMean.Value[i])
					}
					if i, ok := closeTo(l.RunningVar.Value, whole.RunningVar.Value, tol); !ok {
						t.Fatalf("step %d shard %d: running_var[%d] = %v, whole batch %v", step, k, i, l.RunningVar.Value[i], whole.RunningVar.Value[i])
					}
				}
			}
		})
	}
}

// TestSyncBatchNormEvalDoesNotSync: evaluation mode uses running statistics
// and never calls Sync.
func TestSyncBatchNormEvalDoesNotSync(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	l := nn.NewBatchNorm2D(2)
	calls := 0
	l.Sync = func([]float64) { calls++ }
	x := nntest.Random(rng, 2, 2, 3, 3)
	l.Forward(x, false)
	l.Backward(x)
	if calls != 0 {
		t.Errorf("eval Forward+Backward called Sync %d times, want 0", calls)
	}
	l.Forward(x, true)
	l.Backward(x)
	if calls != 2 {
		t.Errorf("train Forward+Backward called Sync %d times, want 2", calls)
	}
}

// TestSyncBatchNormHooksEveryLayer: SyncBatchNorm sets the hook on every
// batch norm of the trunk and the head, and nil clears it.
func TestSyncBatchNormHooksEveryLayer(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	cfg := nn.TrunkConfig{InChannels: 3, Widths: []int{4, 8}, ConvsPerStage: 2, BatchNorm: true}
	m := &nn.Model{Trunk: nn.NewTrunk(cfg, rng)}
	m.Head = nn.NewHead(nn.HeadConfig{Kind: nn.Classifier, Classes: 3}, cfg.Channels(), rng)
	bn := &nn.BatchNorm2D{C: 1} // a batch norm in the head, as a custom head might have
	m.Head.Add("bn", bn)
	layers := func() []*nn.BatchNorm2D {
		var out []*nn.BatchNorm2D
		for _, s := range []*nn.Stack{&m.Trunk.Stack, &m.Head.Stack} {
			for _, n := range s.Layers {
				if b, ok := n.Layer.(*nn.BatchNorm2D); ok {
					out = append(out, b)
				}
			}
		}
		return out
	}
	calls := 0
	nn.SyncBatchNorm(m, func([]float64) { calls++ })
	if got := len(layers()); got != 5 {
		t.Fatalf("%d batch norms, want 5", got)
	}
	for i, b := range layers() {
		if b.Sync == nil {
			t.Errorf("batch norm %d has no Sync", i)
			continue
		}
		b.Sync(nil)
	}
	if calls != 5 {
		t.Errorf("hooks reached the function %d times, want 5", calls)
	}
	nn.SyncBatchNorm(m, nil)
	for i, b := range layers() {
		if b.Sync != nil {
			t.Errorf("batch norm %d still has Sync after clearing", i)
		}
	}
}

func TestSyncBatchNormSteadyStateAllocatesNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 8))
	l := nn.NewBatchNorm2D(3)
	l.Sync = func([]float64) {}
	assertSteadyStateNoAllocs(t, l, nntest.Random(rng, 4, 3, 6, 6), true)
}
