package main

import (
	"math"
)

// The optimal parse, in the manner of Zopfli (Alakuijala and Vandevenne,
// 2013): for a model of what each symbol costs in bits, the cheapest split
// of the input into literals and matches is a shortest path (each position
// a node; a literal or any match length an edge), found by dynamic
// programming; the symbol statistics of that parse give the next cost model,
// a few times over. The input is parsed in master blocks of
// masterBlockSize bytes, each then split into DEFLATE blocks where that
// makes the output smaller.

const (
	masterBlockSize = 1 << 20
	hashBits        = 17
	maxChain        = 2048 // hash-chain candidates examined per position
)

// matchFinder finds, for each position, the shortest distance at which
// every match length occurs (within maxChain candidates of a hash chain).
type matchFinder struct {
	data []byte
	head []int32 // hash → latest position + 1 (0: none)
	prev []int32 // position → previous position with that hash + 1
}

func newMatchFinder(data []byte) *matchFinder {
	return &matchFinder{data: data, head: make([]int32, 1<<hashBits), prev: make([]int32, len(data))}
}

func (f *matchFinder) hash(i int) uint32 {
	d := f.data
	return (uint32(d[i])<<16 | uint32(d[i+1])<<8 | uint32(d[i+2])) * 2654435761 >> (32 - hashBits)
}

// insert adds position i to its hash chain.
func (f *matchFinder) insert(i int) {
	if i+minMatch > len(f.data) {
		return
	}
	h := f.hash(i)
	f.prev[i] = f.head[h]
	f.head[h] = int32(i + 1)
}

// find appends to out the matches at position i (not inserted yet) that
// end before limit, as a staircase: each entry is a longer length than the
// one before, at the shortest distance the chain gave for it, so every length
// up to an entry's is available at that entry's distance or a shorter one.
func (f *matchFinder) find(i, limit int, out []lz77) []lz77 {
	d := f.data
	maxLen := min(maxMatch, limit-i)
	if maxLen < minMatch {
		return out
	}
	best := minMatch - 1
	cand := int(f.head[f.hash(i)]) - 1
	for n := 0; cand >= 0 && n < maxChain; n++ {
		dist := i - cand
		if dist > windowSize {
			break
		}
		if d[cand+best] == d[i+best] && d[cand] == d[i] {
			l := 0
			for l < maxLen && d[cand+l] == d[i+l] {
				l++
			}
			if l > best {
				best = l
				out = append(out, lz77{litLen: uint16(l), dist: uint16(dist)})
				if l == maxLen {
					break
				}
			}
		}
		cand = int(f.prev[cand]) - 1
	}
	return out
}

// costModel gives the bits of each symbol.
type costModel struct {
	lit  [256]float32
	len  [maxMatch + 1]float32 // length symbol + extra bits
	dist [numDist]float32      // distance symbol + extra bits
}

// fixedCosts is a starting model: the code lengths of the fixed Huffman code.
func fixedCosts() *costModel {
	c := &costModel{}
	for b := range c.lit {
		c.lit[b] = 8
		if b >= 144 {
			c.lit[b] = 9
		}
	}
	for l := minMatch; l <= maxMatch; l++ {
		s := lengthSym[l]
		c.len[l] = 7 + float32(lengthExtra[s])
		if 257+int(s) >= 280 {
			c.len[l]++
		}
	}
	for s := range c.dist {
		c.dist[s] = 5 + float32(distExtra[s])
	}
	return c
}

// statCosts is the model of entropy coding with syms' symbol frequencies;
// symbols that did not occur cost as much as the rarest possible one.
func statCosts(syms []lz77) *costModel {
	ll, d := histogram(syms)
	entropy := func(counts []int) []float32 {
		total := 0
		for _, n := range counts {
			total += n
		}
		bits := make([]float32, len(counts))
		lt := math.Log2(float64(max(total, 1)))
		for s, n := range counts {
			bits[s] = float32(lt)
			if n > 0 {
				bits[s] = float32(lt - math.Log2(float64(n)))
			}
		}
		return bits
	}
	llBits, dBits := entropy(ll[:]), entropy(d[:])
	c := &costModel{}
	copy(c.lit[:], llBits[:256])
	for l := minMatch; l <= maxMatch; l++ {
		s := lengthSym[l]
		c.len[l] = llBits[257+int(s)] + float32(lengthExtra[s])
	}
	for s := range c.dist {
		c.dist[s] = dBits[s] + float32(distExtra[s])
	}
	return c
}

// shortestPath returns the cheapest parse of data[start:end] under the
// model, given the staircase of matches at each position (matches[i-start]).
func shortestPath(data []byte, start, end int, matches [][]lz77, c *costModel, cost []float32, step []lz77) []lz77 {
	n := end - start
	cost, step = cost[:n+1], step[:n+1]
	for i := range cost {
		cost[i] = float32(math.Inf(1))
	}
	cost[0] = 0
	for i := range n {
		ci := cost[i]
		if v := ci + c.lit[data[start+i]]; v < cost[i+1] {
			cost[i+1], step[i+1] = v, lz77{litLen: uint16(data[start+i])}
		}
		l := minMatch
		for _, m := range matches[i] {
			dc := ci + c.dist[distSym[m.dist]]
			for top := min(int(m.litLen), n-i); l <= top; l++ {
				if v := dc + c.len[l]; v < cost[i+l] {
					cost[i+l], step[i+l] = v, lz77{litLen: uint16(l), dist: m.dist}
				}
			}
		}
	}
	var rev []lz77
	for j := n; j > 0; j -= symLen(step[j]) {
		rev = append(rev, step[j])
	}
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	return rev
}

// splitBlocks returns where to cut syms into DEFLATE blocks (end indices,
// the last len(syms)): recursively, the one cut among evenly spaced
// candidates that most shrinks the encoded size, while it shrinks it.
func splitBlocks(syms []lz77) []int {
	const minBlock = 1024
	var cuts []int
	var split func(lo, hi int, whole int)
	split = func(lo, hi int, whole int) {
		// The best cut, the two blocks' total size and each one's.
		bestAt, bestSize, bestLo, bestHi := -1, whole, 0, 0
		if hi-lo >= 2*minBlock {
			stride := max(minBlock, (hi-lo)/32)
			for at := lo + stride; at <= hi-minBlock; at += stride {
				if l, h := blockBits(syms[lo:at]), blockBits(syms[at:hi]); l+h < bestSize {
					bestAt, bestSize, bestLo, bestHi = at, l+h, l, h
				}
			}
		}
		if bestAt < 0 {
			cuts = append(cuts, hi)
			return
		}
		split(lo, bestAt, bestLo)
		split(bestAt, hi, bestHi)
	}
	split(0, len(syms), blockBits(syms))
	return cuts
}

// deflateOptimal compresses data as a raw DEFLATE stream (RFC 1951) with
// iterations rounds of optimal parsing per master block (at least 1).
func deflateOptimal(data []byte, iterations int) []byte {
	w := &bitWriter{out: make([]byte, 0, len(data)/3)}
	if len(data) == 0 {
		writeBlock(w, nil, true)
		w.flush()
		return w.out
	}
	f := newMatchFinder(data)
	cost := make([]float32, masterBlockSize+1)
	step := make([]lz77, masterBlockSize+1)
	for start := 0; start < len(data); start += masterBlockSize {
		end := min(start+masterBlockSize, len(data))
		matches := make([][]lz77, end-start)
		var buf []lz77
		for i := start; i < end; i++ {
			from := len(buf)
			buf = f.find(i, end, buf)
			matches[i-start] = buf[from:len(buf):len(buf)]
			f.insert(i)
		}
		// Parse the master block, split it, then parse each block again
		// with costs from its own statistics.
		syms := optimize(data, start, end, matches, fixedCosts(), iterations, cost, step)
		from, pos := 0, start
		for _, to := range splitBlocks(syms) {
			blockEnd := pos
			for _, s := range syms[from:to] {
				blockEnd += symLen(s)
			}
			block := optimize(data, pos, blockEnd, matches[pos-start:], statCosts(syms[from:to]), iterations, cost, step)
			if blockBits(block) > blockBits(syms[from:to]) {
				block = syms[from:to]
			}
			writeBlock(w, block, blockEnd == len(data))
			from, pos = to, blockEnd
		}
	}
	w.flush()
	return w.out
}

// symLen is the number of input bytes s stands for.
func symLen(s lz77) int {
	if s.dist == 0 {
		return 1
	}
	return int(s.litLen)
}

// optimize runs iterations rounds of shortestPath over data[start:end],
// starting from the model c and then each time with the statistics of the
// last parse, and returns the smallest parse as one block.
func optimize(data []byte, start, end int, matches [][]lz77, c *costModel, iterations int, cost []float32, step []lz77) []lz77 {
	var best []lz77
	bestBits := math.MaxInt
	for range max(iterations, 1) {
		syms := shortestPath(data, start, end, matches, c, cost, step)
		if b := blockBits(syms); b < bestBits {
			best, bestBits = syms, b
		}
		c = statCosts(syms)
	}
	return best
}
