package main

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/andybalholm/brotli"
)

// TestPrecompress checks that the .gz and .br siblings decode to the file,
// on inputs from empty to incompressible and past one DEFLATE window.
func TestPrecompress(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	random := make([]byte, 70_000)
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	words := []string{"func", "return", "nil", "err", "if", "for", "range", "float32", "(", ")", "{", "}", "\n\t", " "}
	var text []byte
	for len(text) < 200_000 {
		text = append(text, words[rng.IntN(len(words))]...)
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"empty", nil},
		{"one byte", []byte{7}},
		{"zeros", make([]byte, 100_000)},
		{"random", random},
		{"text", text},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := filepath.Join(t.TempDir(), "app.wasm")
			if err := os.WriteFile(name, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			if err := precompress(name); err != nil {
				t.Fatal(err)
			}
			for _, c := range []struct {
				ext       string
				newReader func(io.Reader) (io.Reader, error)
			}{
				{".gz", func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) }},
				{".br", func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil }},
			} {
				z, err := os.ReadFile(name + c.ext)
				if err != nil {
					t.Fatal(err)
				}
				zr, err := c.newReader(bytes.NewReader(z))
				if err != nil {
					t.Fatalf("%s: %v", c.ext, err)
				}
				got, err := io.ReadAll(zr) // gzip checks the CRC-32 and size too
				if err != nil {
					t.Fatalf("%s: %v", c.ext, err)
				}
				if !bytes.Equal(got, tc.data) {
					t.Fatalf("%s decodes to %d bytes, want the %d of the input", c.ext, len(got), len(tc.data))
				}
			}
		})
	}
}
