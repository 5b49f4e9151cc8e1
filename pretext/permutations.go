package pretext

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
	"sync"
)

// PermutationSet is a set of permutations of n tiles used as jigsaw classes:
// class k is the permutation Perms[k], meaning input slot i holds the tile
// cut from grid cell Perms[k][i] (cells numbered row by row).
type PermutationSet struct {
	N     int       // number of tiles (grid²)
	Perms [][]uint8 // the permutations, each of length N
	// MinHamming and MeanHamming are the smallest and the mean Hamming
	// distance (number of positions that differ) over all pairs of distinct
	// permutations in the set.
	MinHamming  int
	MeanHamming float64
	index       map[uint64]int
}

// Index returns the class of permutation p, or −1 if p is not in the set.
func (s *PermutationSet) Index(p []uint8) int {
	if k, ok := s.index[packPerm(p)]; ok {
		return k
	}
	return -1
}

// maxPermTiles bounds n so that n! candidates fit comfortably in memory.
const maxPermTiles = 9

type permKey struct {
	n, count int
	seed     uint64
}

var (
	permCacheMu sync.Mutex
	permCache   = map[permKey]*PermutationSet{}
)

// Permutations returns count permutations of n tiles chosen to be far apart,
// computed once per (n, count, seed) and cached (safe for concurrent use).
//
// When count = n! the set is every permutation in lexicographic order.
// Otherwise it is built greedily, as in Noroozi & Favaro (2016): the first
// permutation is drawn with the seed; then, repeatedly, of all n!
// permutations (362,880 for a 3×3 grid) the one whose minimum Hamming
// distance to those already chosen is largest is added, ties broken by the
// largest summed distance, then by a random priority drawn once from the
// seed, then by lexicographic rank. Only integer arithmetic and math/rand/v2's
// PCG are involved, so the same seed gives the same set on every platform.
// Cost: at most count·n! distance evaluations, far fewer in practice (see
// greedyPerms; BenchmarkPermutations).
func Permutations(n, count int, seed uint64) *PermutationSet {
	if n < 2 || n > maxPermTiles {
		panic(fmt.Sprintf("pretext: Permutations(%d, …): n must be in [2, %d]", n, maxPermTiles))
	}
	all := allPerms(n)
	if count < 1 || count > len(all) || count > 1<<20 {
		panic(fmt.Sprintf("pretext: Permutations(%d, %d, …): count must be in [1, min(%d!, 2^20)]", n, count, n))
	}
	key := permKey{n, count, seed}
	permCacheMu.Lock()
	defer permCacheMu.Unlock()
	if s, ok := permCache[key]; ok {
		return s
	}
	var chosen []int
	if count == len(all) {
		chosen = make([]int, count)
		for i := range chosen {
			chosen[i] = i
		}
	} else {
		chosen = greedyPerms(all, n, count, seed)
	}
	s := &PermutationSet{N: n, index: make(map[uint64]int, count)}
	for k, c := range chosen {
		p := unpackPerm(all[c], n)
		s.Perms = append(s.Perms, p)
		s.index[all[c]] = k
	}
	s.MinHamming, s.MeanHamming = hammingStats(s.Perms)
	permCache[key] = s
	return s
}

// greedyPerms picks count indices into all (packed permutations of n) by the
// greedy max-min Hamming rule described at Permutations.
//
// It is lazy: only candidates at the current best minimum distance (the
// level, which never rises) are kept up to date; the others are frozen in
// buckets by their last known minimum distance — an upper bound, since the
// minimum only falls — and caught up when the level falls to their bucket.
// The result is the same as updating every candidate at every step.
func greedyPerms(all []uint64, n, count int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x6a09e667f3bcc909))
	prio := make([]uint32, len(all))
	for i := range prio {
		prio[i] = rng.Uint32() >> 8 // 24 bits
	}
	mask := nibbleMask(n)
	dist := func(a, b uint64) uint8 {
		x := a ^ b
		return uint8(bits.OnesCount64((x | x>>1 | x>>2 | x>>3) & mask))
	}
	minD := make([]uint8, len(all))
	sumD := make([]uint32, len(all))
	upto := make([]int32, len(all)) // chosen[:upto[k]] are counted in minD[k], sumD[k]
	for i := range minD {
		minD[i] = uint8(n + 1)
	}
	first := rng.IntN(len(all))
	chosen := []int{first}
	active := make([]int32, 0, len(all)) // candidates at the current level, up to date
	for k := range all {
		if k != first {
			active = append(active, int32(k))
		}
	}
	frozen := make([][]int32, n+2) // frozen[d]: stale candidates whose last minimum was d
	level := n + 1
	catchUp := func(k int32) {
		for _, c := range chosen[upto[k]:] {
			d := dist(all[k], all[c])
			minD[k] = min(minD[k], d)
			sumD[k] += uint32(d)
		}
		upto[k] = int32(len(chosen))
	}
	for len(chosen) < count {
		// Bring the active candidates up to date and find the new level.
		m := -1
		for _, k := range active {
			catchUp(k)
			m = max(m, int(minD[k]))
		}
		// Frozen candidates whose stale minimum is at least m may reach it.
		for d := level - 1; d >= 0 && d >= m; d-- {
			bucket := frozen[d]
			frozen[d] = nil
			for _, k := range bucket {
				catchUp(k)
				if int(minD[k]) >= m {
					m = int(minD[k])
					active = append(active, k)
				} else {
					frozen[minD[k]] = append(frozen[minD[k]], k)
				}
			}
		}
		level = m
		// Keep only the candidates at the level; pick the best of them.
		best, bestScore, kept := -1, uint64(0), active[:0]
		for _, k := range active {
			if int(minD[k]) < level {
				frozen[minD[k]] = append(frozen[minD[k]], k)
				continue
			}
			kept = append(kept, k)
			// Score: sum (≤ 9·2^20 < 2^32, bits 24–55), then priority; then lowest index.
			score := uint64(sumD[k])<<24 | uint64(prio[k])
			if score > bestScore || score == bestScore && int(k) < best {
				best, bestScore = int(k), score
			}
		}
		active = kept
		for i, k := range active {
			if int(k) == best {
				active = append(active[:i], active[i+1:]...)
				break
			}
		}
		chosen = append(chosen, best)
	}
	return chosen
}

// nibbleMask has the lowest bit of each of the n 4-bit fields set.
func nibbleMask(n int) uint64 {
	var m uint64
	for i := 0; i < n; i++ {
		m |= 1 << (4 * i)
	}
	return m
}

// packPerm stores p[i] in bits 4i..4i+3.
func packPerm(p []uint8) uint64 {
	var v uint64
	for i, e := range p {
		v |= uint64(e) << (4 * i)
	}
	return v
}

func unpackPerm(v uint64, n int) []uint8 {
	p := make([]uint8, n)
	for i := range p {
		p[i] = uint8(v >> (4 * i) & 0xf)
	}
	return p
}

// allPerms lists every permutation of 0..n−1, packed, in lexicographic order.
func allPerms(n int) []uint64 {
	p := make([]uint8, n)
	for i := range p {
		p[i] = uint8(i)
	}
	var out []uint64
	for {
		out = append(out, packPerm(p))
		// Next permutation in lexicographic order.
		i := n - 2
		for i >= 0 && p[i] >= p[i+1] {
			i--
		}
		if i < 0 {
			return out
		}
		j := n - 1
		for p[j] <= p[i] {
			j--
		}
		p[i], p[j] = p[j], p[i]
		for a, b := i+1, n-1; a < b; a, b = a+1, b-1 {
			p[a], p[b] = p[b], p[a]
		}
	}
}

// hammingStats returns the minimum and mean Hamming distance over all pairs
// of distinct entries of perms (0, 0 for fewer than two).
func hammingStats(perms [][]uint8) (minD int, mean float64) {
	if len(perms) < 2 {
		return 0, 0
	}
	minD = len(perms[0]) + 1
	var sum, pairs int
	for i := range perms {
		for j := i + 1; j < len(perms); j++ {
			d := 0
			for k := range perms[i] {
				if perms[i][k] != perms[j][k] {
					d++
				}
			}
			minD = min(minD, d)
			sum += d
			pairs++
		}
	}
	return minD, float64(sum) / float64(pairs)
}
