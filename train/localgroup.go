package train

import (
	"fmt"
	"sync"
)

// LocalGroup connects k replicas that run as goroutines of one process: the
// native CLI's -workers and the tests. Member(i) is replica i's Exchanger.
//
// A Sum is a barrier: each member blocks until all k have called it; the
// last to arrive adds the k vectors element by element in index order
// (v_0 + v_1 + … + v_{k−1}, in float64 for both Sum and Sum32, Sum32
// rounding the total to float32 once) and writes the total into every
// member's vector, so all replicas hold bit-identical sums. It starts no
// goroutines.
//
// Break(err) makes every pending and later call return err. Mismatched calls
// (one member calls Sum while another calls Sum32, different lengths, or a
// member calling twice in one round) are bugs in the caller; they break the
// group with an error saying so, rather than hang or panic in one goroutine
// while the others wait.
type LocalGroup struct {
	mu      sync.Mutex
	cond    sync.Cond
	k       int
	err     error
	round   uint64 // completed rounds
	arrived int
	v64     [][]float64 // this round's vectors, by member
	v32     [][]float32
	is32    bool // this round is a Sum32
}

// NewLocalGroup returns a group of k ≥ 1 replicas.
func NewLocalGroup(k int) *LocalGroup {
	if k < 1 {
		panic(fmt.Sprintf("train: NewLocalGroup(%d): need at least one replica", k))
	}
	g := &LocalGroup{k: k, v64: make([][]float64, k), v32: make([][]float32, k)}
	g.cond.L = &g.mu
	return g
}

// Member returns replica i's Exchanger, 0 ≤ i < k.
func (g *LocalGroup) Member(i int) Exchanger {
	if i < 0 || i >= g.k {
		panic(fmt.Sprintf("train: LocalGroup.Member(%d) of a group of %d", i, g.k))
	}
	return localMember{g, i}
}

// Break fails every pending and later Sum with err (ErrStopped when err is
// nil) and wakes the waiting members. Only the first Break counts.
func (g *LocalGroup) Break(err error) {
	if err == nil {
		err = ErrStopped
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	g.breakLocked(err)
}

func (g *LocalGroup) breakLocked(err error) {
	if g.err == nil {
		g.err = err
	}
	g.cond.Broadcast()
}

type localMember struct {
	g *LocalGroup
	i int
}

func (m localMember) Sum(v []float64) error   { return m.g.sum(m.i, v, nil, false) }
func (m localMember) Sum32(v []float32) error { return m.g.sum(m.i, nil, v, true) }

// sum is one member's arrival at a round: v64 or v32 (by is32) is its vector.
func (g *LocalGroup) sum(i int, v64 []float64, v32 []float32, is32 bool) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.err != nil {
		return g.err
	}
	n := len(v64)
	if is32 {
		n = len(v32)
	}
	if g.arrived > 0 {
		if g.v64[i] != nil || g.v32[i] != nil {
			g.breakLocked(fmt.Errorf("train: LocalGroup: member %d summed twice in one round", i))
			return g.err
		}
		if is32 != g.is32 || n != g.length() {
			g.breakLocked(fmt.Errorf("train: LocalGroup: member %d summed %d values (float32 %v), the round has %d (float32 %v)",
				i, n, is32, g.length(), g.is32))
			return g.err
		}
	}
	g.is32 = is32
	if n == 0 { // mark the arrival even for an empty vector
		v64, v32 = make([]float64, 0, 1), make([]float32, 0, 1)
	}
	g.v64[i], g.v32[i] = v64, v32
	g.arrived++
	if g.arrived < g.k {
		round := g.round
		for g.round == round && g.err == nil {
			g.cond.Wait()
		}
		if g.round == round {
			return g.err // broken before the round completed
		}
		return nil
	}
	if is32 {
		sumInto(g.v32)
	} else {
		sumInto(g.v64)
	}
	clear(g.v64)
	clear(g.v32)
	g.arrived = 0
	g.round++
	g.cond.Broadcast()
	return nil
}

// length is the vector length of the round in progress.
func (g *LocalGroup) length() int {
	for i := range g.k {
		if g.is32 && g.v32[i] != nil {
			return len(g.v32[i])
		}
		if !g.is32 && g.v64[i] != nil {
			return len(g.v64[i])
		}
	}
	return 0
}

// sumInto writes Σ_k vs[k][j], added in index order in float64 and rounded
// once to T, into every vs[k][j].
func sumInto[T float32 | float64](vs [][]T) {
	for j := range vs[0] {
		t := float64(vs[0][j])
		for _, v := range vs[1:] {
			t += float64(v[j])
		}
		for _, v := range vs {
			v[j] = T(t)
		}
	}
}
