package nn_test

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

func benchTensors() []nn.NamedTensor {
	var ts []nn.NamedTensor
	for i := range 20 {
		ts = append(ts, nn.NamedTensor{Name: fmt.Sprintf("trunk.conv%d.weight", i), Shape: []int{64, 64, 3, 3}, Data: make([]float32, 64*64*9)})
	}
	return ts
}

// BenchmarkWriteSafetensors writes a 2.9 MB checkpoint of 20 conv weights.
func BenchmarkWriteSafetensors(b *testing.B) {
	ts := benchTensors()
	b.SetBytes(20 * 64 * 64 * 9 * 4)
	for b.Loop() {
		if err := nn.WriteSafetensors(io.Discard, ts, map[string]string{"k": "v"}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReadSafetensors reads it back, validating everything.
func BenchmarkReadSafetensors(b *testing.B) {
	var buf bytes.Buffer
	if err := nn.WriteSafetensors(&buf, benchTensors(), map[string]string{"k": "v"}); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, _, err := nn.ReadSafetensors(buf.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
}
