package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"math/rand/v2"
	"testing"
	"testing/fstest"
)

// wasmLike returns n bytes of binary-looking data that gzip shrinks to about
// half (a real Go wasm binary shrinks to about 28%): tokens drawn from a
// skewed vocabulary of random byte strings, with random bytes between.
func wasmLike(n int) []byte {
	r := rand.New(rand.NewPCG(43, 3))
	vocab := make([][]byte, 4096)
	for i := range vocab {
		vocab[i] = noise(uint64(i), 1+r.IntN(12))
	}
	var b bytes.Buffer
	for b.Len() < n {
		if r.IntN(8) == 0 {
			b.WriteByte(byte(r.Uint32()))
		}
		b.Write(vocab[int(float64(len(vocab))*r.Float64()*r.Float64())])
	}
	return b.Bytes()[:n]
}

// BenchmarkDigest measures the one-time cost per file (SHA-256 plus gzip)
// on 2 MiB of wasm-like bytes at the default and the best level.
func BenchmarkDigest(b *testing.B) {
	data := wasmLike(2 << 20)
	site := fstest.MapFS{"web/app.wasm": {Data: data}}
	for _, level := range []int{gzip.BestSpeed, DefaultGzipLevel, gzip.BestCompression} {
		b.Run(fmt.Sprintf("level=%d", level), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var gz []byte
			for b.Loop() {
				var err error
				if _, gz, err = digest(site, "web/app.wasm", level); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(len(gz))/float64(len(data)), "ratio")
		})
	}
}

// BenchmarkServeCachedGzip measures a steady-state request for a 1 MiB
// compressible file whose gzip encoding is already in memory.
func BenchmarkServeCachedGzip(b *testing.B) {
	data := wasmLike(1 << 20)
	h := New(fstest.MapFS{"index.html": {Data: []byte("<!DOCTYPE html>")}, "app.wasm": {Data: data}}, Options{})
	if w := request(h, "GET", "/app.wasm", "Accept-Encoding", "gzip"); w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
		b.Fatalf("status %d, encoding %q", w.Code, w.Header().Get("Content-Encoding"))
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		request(h, "GET", "/app.wasm", "Accept-Encoding", "gzip")
	}
}
