package main

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"math/rand/v2"
	"testing"
)

// deflateInputs are generated inputs that exercise the encoder's corners.
func deflateInputs() []struct {
	name string
	data []byte
} {
	rng := rand.New(rand.NewPCG(1, 2))
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rng.Uint32())
		}
		return b
	}
	// text: words from a small vocabulary, like source code or HTML.
	words := []string{"func", "return", "nil", "err", "if", "for", "range", "int", "float32", "the", "a", "model", "(", ")", "{", "}", "\n\t", " "}
	var text []byte
	for len(text) < 1<<20+5000 { // past one master block
		text = append(text, words[rng.IntN(len(words))]...)
	}
	// period repeats a random block: matches exactly at the window's edge
	// (32768) are allowed, one byte further they are not.
	period := func(p, n int) []byte {
		b := random(p)
		for len(b) < n {
			b = append(b, b[len(b)-p])
		}
		return b
	}
	return []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"one byte", []byte{7}},
		{"three bytes", []byte("abc")},
		{"short run", []byte("aaaaaaaaaa")},
		{"zeros", make([]byte, 100_000)},
		{"random", random(70_000)},
		{"text", text},
		{"period 32768", period(32768, 70_000)},
		{"period 32769", period(32769, 70_000)},
		{"period 258", period(258, 10_000)},
	}
}

func TestDeflateOptimalRoundTrip(t *testing.T) {
	for _, tc := range deflateInputs() {
		for _, it := range []int{1, 2} {
			if it > 1 && len(tc.data) > 1<<20 {
				continue // the round trip at 1 round covers the master blocks
			}
			t.Run(fmt.Sprintf("%s/%d", tc.name, it), func(t *testing.T) {
				z := deflateOptimal(tc.data, it)
				got, err := io.ReadAll(flate.NewReader(bytes.NewReader(z)))
				if err != nil {
					t.Fatalf("inflate: %v", err)
				}
				if !bytes.Equal(got, tc.data) {
					t.Fatalf("inflated %d bytes, want the %d of the input", len(got), len(tc.data))
				}
			})
		}
	}
}

// On compressible inputs the optimal parse beats compress/flate's best. On
// incompressible ones flate stores the data, which deflateOptimal never
// does, and gzipBest keeps flate's encoding.
func TestDeflateOptimalSmallerThanLevel9(t *testing.T) {
	for _, tc := range deflateInputs() {
		if len(tc.data) < 10_000 {
			continue
		}
		t.Run(tc.name, func(t *testing.T) {
			var std bytes.Buffer
			fw, _ := flate.NewWriter(&std, flate.BestCompression)
			fw.Write(tc.data)
			fw.Close()
			if std.Len() < len(tc.data) {
				if opt := deflateOptimal(tc.data, 2); len(opt) > std.Len() {
					t.Errorf("optimal parse %d bytes, level 9 %d", len(opt), std.Len())
				}
			}
			const gzipFraming = 18
			best, err := gzipBest(tc.data, 2)
			if err != nil {
				t.Fatal(err)
			}
			if len(best) > std.Len()+gzipFraming {
				t.Errorf("gzipBest %d bytes, level 9 %d (+%d of framing)", len(best), std.Len(), gzipFraming)
			}
		})
	}
}

func TestGzipBest(t *testing.T) {
	for _, tc := range deflateInputs() {
		for _, it := range []int{0, 1} {
			t.Run(fmt.Sprintf("%s/%d", tc.name, it), func(t *testing.T) {
				gz, err := gzipBest(tc.data, it)
				if err != nil {
					t.Fatal(err)
				}
				zr, err := gzip.NewReader(bytes.NewReader(gz))
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(zr) // checks the CRC-32 and size too
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, tc.data) {
					t.Fatalf("decoded %d bytes, want the %d of the input", len(got), len(tc.data))
				}
			})
		}
	}
}

func TestHuffmanLengths(t *testing.T) {
	fib := []int{1, 1}
	for len(fib) < 30 {
		fib = append(fib, fib[len(fib)-1]+fib[len(fib)-2])
	}
	for _, tc := range []struct {
		name    string
		freq    []int
		maxBits int
	}{
		{"none", make([]int, 30), 15},
		{"one", []int{0, 0, 5, 0}, 15},
		{"two", []int{3, 0, 5}, 15},
		{"uniform", []int{4, 4, 4, 4, 4, 4, 4, 4}, 15},
		{"fibonacci, unlimited", fib[:14], 15},
		{"fibonacci, limited to 15", fib, 15},
		{"fibonacci, limited to 7", fib[:19], 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := huffmanLengths(tc.freq, tc.maxBits)
			kraft, n := 0, 0
			for s, b := range l {
				if int(b) > tc.maxBits {
					t.Fatalf("symbol %d has length %d > %d", s, b, tc.maxBits)
				}
				if tc.freq[s] > 0 && b == 0 {
					t.Fatalf("symbol %d of frequency %d has no code", s, tc.freq[s])
				}
				if b > 0 {
					kraft += 1 << (tc.maxBits - int(b))
					n++
				}
			}
			if n < 2 || kraft != 1<<tc.maxBits {
				t.Fatalf("%d codes, Kraft sum %d/%d: not a complete code", n, kraft, 1<<tc.maxBits)
			}
			// Where the limit does not bind, the lengths are Huffman's.
			if tc.name == "fibonacci, unlimited" || tc.name == "uniform" {
				if got, want := weighted(tc.freq, l), huffmanCost(tc.freq); got != want {
					t.Errorf("cost %d bits, Huffman's %d", got, want)
				}
			}
		})
	}
}

func weighted(freq []int, l []uint8) int {
	n := 0
	for s, f := range freq {
		n += f * int(l[s])
	}
	return n
}

// huffmanCost is the total bits of an unlimited Huffman code: the sum of the
// internal nodes' weights.
func huffmanCost(freq []int) int {
	var w []int
	for _, f := range freq {
		if f > 0 {
			w = append(w, f)
		}
	}
	cost := 0
	for len(w) > 1 {
		// take the two smallest
		for k := 0; k < 2; k++ {
			m := k
			for i := k; i < len(w); i++ {
				if w[i] < w[m] {
					m = i
				}
			}
			w[k], w[m] = w[m], w[k]
		}
		s := w[0] + w[1]
		cost += s
		w = append(w[2:], s)
	}
	return cost
}
