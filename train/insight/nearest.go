package insight

import (
	"fmt"
	"math"
)

// Neighbour is one row found by Nearest: its index and its cosine
// similarity to the query, in [−1, 1].
type Neighbour struct {
	Index      int
	Similarity float32
}

// Normalize returns the rows of feats scaled to unit Euclidean length,
// x / ‖x‖₂, so that a dot product of two rows is their cosine similarity.
// A zero row stays zero (similar to nothing). feats is not modified.
func Normalize(feats [][]float32) [][]float32 {
	out := make([][]float32, len(feats))
	for i, row := range feats {
		var ss float64
		for _, v := range row {
			ss += float64(v) * float64(v)
		}
		u := make([]float32, len(row))
		if ss > 0 {
			inv := float32(1 / math.Sqrt(ss))
			for j, v := range row {
				u[j] = v * inv
			}
		}
		out[i] = u
	}
	return out
}

// Nearest returns the k rows of unit (as made by Normalize) most similar
// to row q, q itself excluded, best first; equal similarities keep the
// lower index first. It is an exact search: N dot products of length C
// and a k-element insertion list, O(N·C + N·k), a few milliseconds for
// N = 10,000, C = 64. Fewer than k rows give all of them.
func Nearest(unit [][]float32, q, k int) []Neighbour {
	if q < 0 || q >= len(unit) {
		panic(fmt.Sprintf("insight: Nearest query %d outside %d rows", q, len(unit)))
	}
	if k <= 0 {
		panic(fmt.Sprintf("insight: Nearest k = %d must be positive", k))
	}
	return NearestTo(unit, unit[q], k, q)
}

// NearestTo is Nearest for a query vector that need not be a row (it
// must have length 1 or be zero for the similarities to be cosines);
// skip is a row index to leave out, or −1.
func NearestTo(unit [][]float32, query []float32, k, skip int) []Neighbour {
	best := make([]Neighbour, 0, k+1)
	for i, row := range unit {
		if i == skip {
			continue
		}
		if len(row) != len(query) {
			panic(fmt.Sprintf("insight: row %d has %d features, the query %d", i, len(row), len(query)))
		}
		var s float32
		for j, v := range row {
			s += v * query[j]
		}
		if len(best) == k && s <= best[k-1].Similarity {
			continue
		}
		// Insert after every entry at least as similar (stable for ties).
		p := len(best)
		for p > 0 && best[p-1].Similarity < s {
			p--
		}
		best = append(best, Neighbour{})
		copy(best[p+1:], best[p:])
		best[p] = Neighbour{Index: i, Similarity: s}
		if len(best) > k {
			best = best[:k]
		}
	}
	return best
}

// ClassAgreement is the share of the k nearest neighbours of every
// labelled row that carry its own label: (1/(N·k)) Σ_q |{n ∈ kNN(q) :
// labels[n] = labels[q]}|, the label-free monitor's "do similar-looking
// images share a class" in one number. Rows with label < 0 are neither
// queries nor neighbours.
func ClassAgreement(unit [][]float32, labels []int, k int) float64 {
	if len(labels) != len(unit) {
		panic(fmt.Sprintf("insight: %d labels for %d rows", len(labels), len(unit)))
	}
	var idx []int
	for i, l := range labels {
		if l >= 0 {
			idx = append(idx, i)
		}
	}
	if len(idx) < 2 {
		return 0
	}
	sub := make([][]float32, len(idx))
	for i, j := range idx {
		sub[i] = unit[j]
	}
	hits, total := 0, 0
	for qi, j := range idx {
		for _, n := range Nearest(sub, qi, k) {
			if labels[idx[n.Index]] == labels[j] {
				hits++
			}
			total++
		}
	}
	return float64(hits) / float64(total)
}
