package main

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"sync"

	"github.com/andybalholm/brotli"
)

// gzipIterations is the number of optimal-parsing rounds of the .gz
// siblings (-gz-iterations); 0 writes compress/gzip's level 9 instead.
// Ten rounds make the wasm binaries' gzip 5.4% smaller than level 9
// (on the former trainer binary: 1.478 → 1.398 MB; Zopfli with 10 rounds: 1.396 MB) for
// ~15 s of build time per binary, run alongside brotli (precompress).
var gzipIterations = 10

// brotliQuality is the brotli level of the .br siblings (-br-quality);
// 0 … 11, or -1 for none. Quality 11 with a 16 MiB window shrinks the
// wasm binaries about 28% below gzip -9 (measured on app.wasm: 2.39 MB gzip,
// 1.97 MB at q9, 1.73 MB at q11) for ~20 s of build time per binary.
var brotliQuality = 11

// brotliWindow is log2 of the brotli window: 24 (16 MiB), the largest a
// browser decodes over HTTP; the wasm binary is about 10 MB.
const brotliWindow = 24

// precompress writes name.gz (see gzipBest) and, unless brotliQuality < 0,
// name.br beside the file: the server sends them to clients that accept
// the encoding. The two encodings are compressed in parallel.
func precompress(name string) error {
	b, err := os.ReadFile(name)
	if err != nil {
		return err
	}
	var gzErr, brErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		gz, err := gzipBest(b, gzipIterations)
		if err != nil {
			gzErr = fmt.Errorf("compressing %s: %w", name, err)
			return
		}
		gzErr = os.WriteFile(name+".gz", gz, 0o644)
	})
	if brotliQuality >= 0 {
		wg.Go(func() {
			brErr = writeCompressed(name+".br", b, func(w io.Writer) (io.WriteCloser, error) {
				return brotli.NewWriterOptions(w, brotli.WriterOptions{Quality: brotliQuality, LGWin: brotliWindow}), nil
			})
		})
	}
	wg.Wait()
	if gzErr != nil {
		return gzErr
	}
	return brErr
}

// writeCompressed writes b to the file dst through the compressor that
// newWriter makes.
func writeCompressed(dst string, b []byte, newWriter func(io.Writer) (io.WriteCloser, error)) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw, err := newWriter(f)
	if err == nil {
		_, err = zw.Write(b)
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("compressing %s: %w", dst, err)
	}
	return nil
}

// gzipBest returns the smaller of two gzip encodings of b: compress/gzip at
// level 9, and, if iterations > 0, deflateOptimal's with that many rounds.
// The chosen one is decoded again and compared with b, so an encoder bug
// fails the build instead of shipping a corrupt file.
func gzipBest(b []byte, iterations int) ([]byte, error) {
	var std bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&std, gzip.BestCompression)
	zw.Write(b)
	if err := zw.Close(); err != nil {
		return nil, err
	}
	best := std.Bytes()
	if iterations > 0 {
		if opt := gzipWrap(deflateOptimal(b, iterations), b); len(opt) < len(best) {
			best = opt
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(best))
	if err != nil {
		return nil, fmt.Errorf("gzip check: %w", err)
	}
	got, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("gzip check: %w", err)
	}
	if !bytes.Equal(got, b) {
		return nil, fmt.Errorf("gzip check: the encoding does not decode to the input")
	}
	return best, nil
}

// gzipWrap frames a raw DEFLATE stream of data as a gzip member (RFC 1952):
// no name or time, XFL 2 (maximum compression), OS unknown.
func gzipWrap(deflated, data []byte) []byte {
	out := make([]byte, 0, len(deflated)+18)
	out = append(out, 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 255)
	out = append(out, deflated...)
	out = binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(data))
	return binary.LittleEndian.AppendUint32(out, uint32(len(data)))
}
