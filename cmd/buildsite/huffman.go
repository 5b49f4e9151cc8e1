package main

import (
	"math/bits"
	"sort"
)

// huffmanLengths returns optimal prefix-code lengths, none over maxBits, for
// symbols with the given frequencies (package-merge; Larmore and Hirschberg
// 1990). Symbols of frequency 0 get length 0. The code is always complete
// (Kraft sum exactly 1), as inflaters require: when fewer than two symbols
// occur, the first unused ones are given length 1 to make two.
// len(freq) must be at most 1<<maxBits.
func huffmanLengths(freq []int, maxBits int) []uint8 {
	lengths := make([]uint8, len(freq))
	var used []int
	for s, f := range freq {
		if f > 0 {
			used = append(used, s)
		}
	}
	for s := 0; len(used) < 2 && s < len(freq); s++ {
		if freq[s] == 0 {
			used = append(used, s)
		}
	}
	if len(used) == 2 {
		lengths[used[0]], lengths[used[1]] = 1, 1
		return lengths
	}
	sort.SliceStable(used, func(i, j int) bool { return freq[used[i]] < freq[used[j]] })

	// Nodes: leaves first (index = rank in used), then packages, each the
	// sum of two items of the previous level's list.
	type node struct {
		weight      int
		left, right int32 // children (packages); -1 for a leaf
	}
	m := len(used)
	nodes := make([]node, m, m*2*maxBits)
	for i, s := range used {
		nodes[i] = node{weight: max(freq[s], 1), left: -1, right: -1}
	}
	leaves := make([]int32, m)
	for i := range leaves {
		leaves[i] = int32(i)
	}
	list := leaves
	for level := 1; level < maxBits; level++ {
		// Package adjacent pairs, then merge with the leaves by weight.
		pkgs := make([]int32, 0, len(list)/2)
		for i := 0; i+1 < len(list); i += 2 {
			nodes = append(nodes, node{weight: nodes[list[i]].weight + nodes[list[i+1]].weight, left: list[i], right: list[i+1]})
			pkgs = append(pkgs, int32(len(nodes)-1))
		}
		merged := make([]int32, 0, m+len(pkgs))
		i, j := 0, 0
		for i < m || j < len(pkgs) {
			if j == len(pkgs) || (i < m && nodes[leaves[i]].weight <= nodes[pkgs[j]].weight) {
				merged = append(merged, leaves[i])
				i++
			} else {
				merged = append(merged, pkgs[j])
				j++
			}
		}
		list = merged
	}
	// Each leaf's code length is the number of times it occurs in the
	// first 2m-2 items of the last list.
	count := make([]int, m)
	stack := append([]int32(nil), list[:2*m-2]...)
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if nodes[n].left < 0 {
			count[n]++
			continue
		}
		stack = append(stack, nodes[n].left, nodes[n].right)
	}
	for i, s := range used {
		lengths[s] = uint8(count[i])
	}
	return lengths
}

// canonicalCodes returns the canonical Huffman codes of RFC 1951 §3.2.2 for
// the code lengths, bit-reversed so that they can be written LSB first.
func canonicalCodes(lengths []uint8) []uint16 {
	var blCount [16]int
	for _, l := range lengths {
		blCount[l]++
	}
	blCount[0] = 0
	var next [16]int
	code := 0
	for b := 1; b < 16; b++ {
		code = (code + blCount[b-1]) << 1
		next[b] = code
	}
	codes := make([]uint16, len(lengths))
	for s, l := range lengths {
		if l > 0 {
			codes[s] = bits.Reverse16(uint16(next[l])) >> (16 - l)
			next[l]++
		}
	}
	return codes
}

// bitWriter packs bits LSB first, as DEFLATE stores them.
type bitWriter struct {
	out   []byte
	acc   uint64
	nbits uint
}

// write appends the n low bits of v (n ≤ 32).
func (w *bitWriter) write(v uint32, n uint) {
	w.acc |= uint64(v) << w.nbits
	w.nbits += n
	for w.nbits >= 8 {
		w.out = append(w.out, byte(w.acc))
		w.acc >>= 8
		w.nbits -= 8
	}
}

// flush pads the last byte with zero bits.
func (w *bitWriter) flush() {
	if w.nbits > 0 {
		w.out = append(w.out, byte(w.acc))
		w.acc, w.nbits = 0, 0
	}
}
