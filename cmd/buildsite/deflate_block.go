package main

// DEFLATE (RFC 1951) symbols and dynamic-Huffman blocks.

// lz77 is one symbol of a parse: a literal byte (dist == 0, litLen the
// byte) or a match copying litLen bytes (3 … 258) from dist bytes back
// (1 … 32768).
type lz77 struct {
	litLen uint16
	dist   uint16
}

const (
	minMatch   = 3
	maxMatch   = 258
	windowSize = 32768
	endOfBlock = 256
	numLitLen  = 286 // literal/length symbols 0 … 285
	numDist    = 30  // distance symbols 0 … 29
)

var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [30]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}

	// lengthSym[l] is the length code (0 … 28, symbol 257+code) of match
	// length l; distSym[d] the distance code of distance d.
	lengthSym [maxMatch + 1]uint8
	distSym   [windowSize + 1]uint8

	// clOrder is the order code-length code lengths are stored in.
	clOrder = [19]int{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

func init() {
	for c := range lengthBase {
		for l := int(lengthBase[c]); l < int(lengthBase[c])+1<<lengthExtra[c] && l <= maxMatch; l++ {
			lengthSym[l] = uint8(c)
		}
	}
	lengthSym[maxMatch] = 28 // 258 has a code of its own, not 227+31
	for c := range distBase {
		for d := int(distBase[c]); d < int(distBase[c])+1<<distExtra[c] && d <= windowSize; d++ {
			distSym[d] = uint8(c)
		}
	}
}

// histogram counts the literal/length and distance symbols of syms, plus
// one end-of-block.
func histogram(syms []lz77) (ll [numLitLen]int, d [numDist]int) {
	for _, s := range syms {
		if s.dist == 0 {
			ll[s.litLen]++
		} else {
			ll[257+int(lengthSym[s.litLen])]++
			d[distSym[s.dist]]++
		}
	}
	ll[endOfBlock]++
	return ll, d
}

// blockCode is the Huffman code of one dynamic block.
type blockCode struct {
	llLen, dLen   []uint8
	llCode, dCode []uint16
	header        bitWriter // the block header after BFINAL and BTYPE
}

// newBlockCode builds the optimal codes for the histograms and the header
// that describes them.
func newBlockCode(ll [numLitLen]int, d [numDist]int) *blockCode {
	b := &blockCode{llLen: huffmanLengths(ll[:], 15), dLen: huffmanLengths(d[:], 15)}
	b.llCode, b.dCode = canonicalCodes(b.llLen), canonicalCodes(b.dLen)
	hlit := numLitLen
	for hlit > 257 && b.llLen[hlit-1] == 0 {
		hlit--
	}
	hdist := numDist
	for hdist > 1 && b.dLen[hdist-1] == 0 {
		hdist--
	}
	rle := runLengths(append(append([]uint8(nil), b.llLen[:hlit]...), b.dLen[:hdist]...))
	var clFreq [19]int
	for _, r := range rle {
		clFreq[r.sym]++
	}
	clLen := huffmanLengths(clFreq[:], 7)
	clCode := canonicalCodes(clLen)
	hclen := 19
	for hclen > 4 && clLen[clOrder[hclen-1]] == 0 {
		hclen--
	}
	w := &b.header
	w.write(uint32(hlit-257), 5)
	w.write(uint32(hdist-1), 5)
	w.write(uint32(hclen-4), 4)
	for _, s := range clOrder[:hclen] {
		w.write(uint32(clLen[s]), 3)
	}
	for _, r := range rle {
		w.write(uint32(clCode[r.sym]), uint(clLen[r.sym]))
		switch r.sym {
		case 16:
			w.write(uint32(r.extra), 2)
		case 17:
			w.write(uint32(r.extra), 3)
		case 18:
			w.write(uint32(r.extra), 7)
		}
	}
	return b
}

// headerBits is the size of the block header in bits, BFINAL and BTYPE included.
func (b *blockCode) headerBits() int { return 3 + 8*len(b.header.out) + int(b.header.nbits) }

// dataBits is the size in bits of the symbols and the end-of-block under
// this code, from their histograms.
func (b *blockCode) dataBits(ll [numLitLen]int, d [numDist]int) int {
	n := 0
	for s, f := range ll {
		n += f * int(b.llLen[s])
		if s > 257 && s < 257+29 {
			n += f * int(lengthExtra[s-257])
		}
	}
	for s, f := range d {
		n += f * (int(b.dLen[s]) + int(distExtra[s]))
	}
	return n
}

// blockBits is the size in bits of syms as one dynamic block.
func blockBits(syms []lz77) int {
	ll, d := histogram(syms)
	b := newBlockCode(ll, d)
	return b.headerBits() + b.dataBits(ll, d)
}

// writeBlock writes syms as one dynamic-Huffman block.
func writeBlock(w *bitWriter, syms []lz77, final bool) {
	ll, d := histogram(syms)
	b := newBlockCode(ll, d)
	fin := uint32(0)
	if final {
		fin = 1
	}
	w.write(fin|2<<1, 3)
	for _, c := range b.header.out {
		w.write(uint32(c), 8)
	}
	w.write(uint32(b.header.acc), b.header.nbits)
	for _, s := range syms {
		if s.dist == 0 {
			w.write(uint32(b.llCode[s.litLen]), uint(b.llLen[s.litLen]))
			continue
		}
		lc := lengthSym[s.litLen]
		w.write(uint32(b.llCode[257+int(lc)]), uint(b.llLen[257+int(lc)]))
		w.write(uint32(s.litLen-lengthBase[lc]), uint(lengthExtra[lc]))
		dc := distSym[s.dist]
		w.write(uint32(b.dCode[dc]), uint(b.dLen[dc]))
		w.write(uint32(s.dist-distBase[dc]), uint(distExtra[dc]))
	}
	w.write(uint32(b.llCode[endOfBlock]), uint(b.llLen[endOfBlock]))
}

// clSym is one code-length symbol: 0 … 15 a length, 16 repeat the previous
// 3 … 6 times, 17 zeros 3 … 10 times, 18 zeros 11 … 138 times (extra = count
// minus the minimum).
type clSym struct{ sym, extra uint8 }

// runLengths encodes code lengths with the repeat codes of RFC 1951 §3.2.7.
func runLengths(lengths []uint8) []clSym {
	var out []clSym
	for i := 0; i < len(lengths); {
		v := lengths[i]
		run := 1
		for i+run < len(lengths) && lengths[i+run] == v {
			run++
		}
		i += run
		if v == 0 {
			for run >= 11 {
				n := min(run, 138)
				out = append(out, clSym{18, uint8(n - 11)})
				run -= n
			}
			if run >= 3 {
				out = append(out, clSym{17, uint8(run - 3)})
				run = 0
			}
			for ; run > 0; run-- {
				out = append(out, clSym{0, 0})
			}
			continue
		}
		out = append(out, clSym{v, 0})
		run--
		for run >= 3 {
			n := min(run, 6)
			out = append(out, clSym{16, uint8(n - 3)})
			run -= n
		}
		for ; run > 0; run-- {
			out = append(out, clSym{v, 0})
		}
	}
	return out
}
