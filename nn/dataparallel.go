package nn

import "fmt"

// Data-parallel training splits each batch of N samples into K shards, one
// per worker; every worker holds a full replica of the model, computes the
// gradient of its shard's mean loss, and the workers exchange gradients so
// that every replica applies the same averaged update.
//
// With shard k holding n_k samples and per-sample gradients g_i, the
// full-batch gradient of the mean loss is
//
//	g = (1/N) Σ_i g_i = Σ_k (n_k/N) · ĝ_k,   ĝ_k = (1/n_k) Σ_{i∈k} g_i,
//
// the average of the shard gradients weighted by shard size (AverageGrads),
// so K workers take the step one worker would take on the whole batch, up to
// float rounding (sums are taken in a different order). For a loss that
// weights or ignores positions (class weights, IgnoreLabel) the right weight
// of shard k is its total loss weight Σ_{i∈k} w[y_i], not n_k.
//
// Two caveats: by default batch norm normalises with its shard's batch
// statistics, not the whole batch's, so a net with BatchNorm trains
// differently (each replica's running statistics also drift apart);
// SyncBatchNorm makes every replica use the whole batch's statistics (see
// BatchNorm2D.Sync). And each replica's optimizer must start from the same
// state, with the same weights (same seed, or the same checkpoint);
// FlattenValues gives one vector of the weights, to compare replicas.

// ParamLen returns the number of scalars in params, the length of the flat
// vectors below.
func ParamLen(params []*Param) int { return countParams(params) }

// FlattenGrads copies every parameter's gradient, in order, into one vector
// and returns it: dst resliced to ParamLen(params), reallocated when too short.
func FlattenGrads(dst []float32, params []*Param) []float32 {
	return flatten(dst, params, func(p *Param) []float32 { return p.Grad })
}

// ScatterGrads copies a vector from FlattenGrads (or an average of several)
// back into the parameters' gradients. It panics if the length does not match.
func ScatterGrads(params []*Param, src []float32) {
	if n := ParamLen(params); len(src) != n {
		panic(fmt.Sprintf("nn: ScatterGrads: vector of %d values for %d parameters", len(src), n))
	}
	off := 0
	for _, p := range params {
		off += copy(p.Grad[:len(p.Value)], src[off:])
	}
}

// FlattenValues copies every parameter's value, in order, into one vector
// (dst resliced or reallocated as in FlattenGrads), to compare the weights of
// replicas.
func FlattenValues(dst []float32, params []*Param) []float32 {
	return flatten(dst, params, func(p *Param) []float32 { return p.Value })
}

func flatten(dst []float32, params []*Param, field func(*Param) []float32) []float32 {
	dst = resize(dst, ParamLen(params))
	off := 0
	for _, p := range params {
		off += copy(dst[off:], field(p)[:len(p.Value)])
	}
	return dst
}

// AverageGrads writes the weighted average of K equal-length vectors into dst:
//
//	dst[j] = Σ_k w_k·vecs[k][j] / Σ_k w_k
//
// with w_k = weights[k], or all equal when weights is nil (equal shards).
// Pass each shard's sample count as its weight for uneven shards. dst may be
// one of vecs. It panics on mismatched lengths, an empty list, or weights
// that are negative or sum to zero.
func AverageGrads(dst []float32, vecs [][]float32, weights []float64) {
	if len(vecs) == 0 {
		panic("nn: AverageGrads: no vectors")
	}
	if weights != nil && len(weights) != len(vecs) {
		panic(fmt.Sprintf("nn: AverageGrads: %d weights for %d vectors", len(weights), len(vecs)))
	}
	total := 0.0
	for k := range vecs {
		if len(vecs[k]) != len(dst) {
			panic(fmt.Sprintf("nn: AverageGrads: vector %d has %d values, dst %d", k, len(vecs[k]), len(dst)))
		}
		w := 1.0
		if weights != nil {
			w = weights[k]
		}
		if !(w >= 0) {
			panic(fmt.Sprintf("nn: AverageGrads: weight %d is %v", k, w))
		}
		total += w
	}
	if total == 0 {
		panic("nn: AverageGrads: weights sum to zero")
	}
	scale := func(k int) float32 {
		if weights == nil {
			return float32(1 / total)
		}
		return float32(weights[k] / total)
	}
	// dst may alias a vector, so read every vector at j before writing dst[j]
	// (the first pass writes dst from vecs[0] only after reading it).
	s0 := scale(0)
	for j, v := range vecs[0] {
		dst[j] = s0 * v
	}
	for k := 1; k < len(vecs); k++ {
		if aliases(dst, vecs[k]) {
			panic("nn: AverageGrads: dst may alias only the first vector")
		}
		sk := scale(k)
		for j, v := range vecs[k] {
			dst[j] += sk * v
		}
	}
}

func aliases(a, b []float32) bool {
	return len(a) > 0 && len(b) > 0 && &a[0] == &b[0]
}

// ShardRange returns the half-open range [lo, hi) of samples that shard i of
// `shards` takes from a batch of n: contiguous, sizes differing by at most
// one, the larger shards first.
func ShardRange(n, shards, i int) (lo, hi int) {
	if shards < 1 || i < 0 || i >= shards || n < 0 {
		panic(fmt.Sprintf("nn: ShardRange(%d, %d, %d): bad arguments", n, shards, i))
	}
	q, r := n/shards, n%shards
	lo = i*q + min(i, r)
	hi = lo + q
	if i < r {
		hi++
	}
	return lo, hi
}
