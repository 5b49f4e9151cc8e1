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
// Cost: count·n! distance evaluations (about 0.05 s natively for n = 9,
// count = 100).
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
func greedyPerms(all []uint64, n, count int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 0x6a09e667f3bcc909))
	prio := make([]uint32, len(all))
	for i := range prio {
		prio[i] = rng.Uint32() >> 8 // 24 bits
	}
	minD := make([]uint8, len(all))
	for i := range minD {
		minD[i] = 0xff
	}
	sumD := make([]uint32, len(all))
	mask := nibbleMask(n)
	chosen := []int{rng.IntN(len(all))}
	for len(chosen) < count {
		last := all[chosen[len(chosen)-1]]
		best, bestScore := -1, uint64(0)
		for k, p := range all {
			x := p ^ last
			d := uint8(bits.OnesCount64((x | x>>1 | x>>2 | x>>3) & mask))
			if d < minD[k] {
				minD[k] = d
			}
			sumD[k] += uint32(d)
			if minD[k] == 0 {
				continue // already chosen
			}
			// Score: min distance (bits 56+), then sum (≤ 9·2^20 < 2^32, bits 24–55), then priority.
			score := uint64(minD[k])<<56 | uint64(sumD[k])<<24 | uint64(prio[k])
			if score > bestScore {
				best, bestScore = k, score
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
