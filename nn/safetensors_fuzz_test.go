package nn_test

import (
	"bytes"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

// FuzzReadSafetensors feeds arbitrary bytes to ReadSafetensors. It must never
// panic; what it accepts must be self-consistent (every tensor's data matches
// its shape, and all data together fits in the file) and must survive a
// write/read round trip unchanged.
//
//	go test -run '^$' -fuzz FuzzReadSafetensors -fuzztime 60s ./nn/
func FuzzReadSafetensors(f *testing.F) {
	valid := [][]nn.NamedTensor{
		nil,
		{{Name: "w", Shape: []int{2, 3}, Data: []float32{1, 2, 3, 4, 5, 6}}},
		{{Name: "trunk.conv1.weight", Shape: []int{1, 1, 1, 2}, Data: []float32{-1, 0.5}},
			{Name: "trunk.bn1.running_mean", Shape: []int{1}, Data: []float32{3}},
			{Name: "z", Shape: []int{0}, Data: nil}},
	}
	for i, ts := range valid {
		var buf bytes.Buffer
		meta := map[string]string{"task": "jigsaw"}
		if i == 0 {
			meta = nil
		}
		if err := nn.WriteSafetensors(&buf, ts, meta); err != nil {
			f.Fatal(err)
		}
		f.Add(buf.Bytes())
	}
	for _, c := range corruptSafetensors {
		f.Add(c.file)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		tensors, metadata, err := nn.ReadSafetensors(data)
		if err != nil {
			if tensors != nil || metadata != nil {
				t.Fatalf("data returned with error %v", err)
			}
			return
		}
		total := 0
		list := make([]nn.NamedTensor, 0, len(tensors))
		for name, ts := range tensors {
			n := 1
			for _, d := range ts.Shape {
				if d < 0 {
					t.Fatalf("%s: negative dimension in %v", name, ts.Shape)
				}
				n *= d
			}
			if ts.Name != name || n != len(ts.Data) {
				t.Fatalf("%s: named %q, %d values for shape %v", name, ts.Name, len(ts.Data), ts.Shape)
			}
			total += 4 * n
			list = append(list, ts)
		}
		if total > len(data) {
			t.Fatalf("%d bytes of tensors from a %d-byte file", total, len(data))
		}
		var buf bytes.Buffer
		if err := nn.WriteSafetensors(&buf, list, metadata); err != nil {
			t.Fatalf("cannot write back what was read: %v", err)
		}
		again, meta2, err := nn.ReadSafetensors(buf.Bytes())
		if err != nil {
			t.Fatalf("cannot read back what was written: %v", err)
		}
		if len(metadata) > 0 && !maps.Equal(metadata, meta2) || len(again) != len(tensors) {
			t.Fatalf("round trip changed the file: %v / %v", metadata, meta2)
		}
		for name, ts := range tensors {
			b := again[name]
			if !slices.Equal(ts.Shape, b.Shape) || !slices.EqualFunc(ts.Data, b.Data, func(x, y float32) bool {
				return math.Float32bits(x) == math.Float32bits(y)
			}) {
				t.Fatalf("%s changed in a round trip", name)
			}
		}
	})
}
