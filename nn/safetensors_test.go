package nn_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"maps"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

// stFile assembles a safetensors file by hand: the 8-byte little-endian
// header length, the header exactly as given (padding included), the data.
func stFile(header string, data ...float32) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, uint64(len(header)))
	b.WriteString(header)
	for _, v := range data {
		binary.Write(&b, binary.LittleEndian, math.Float32bits(v))
	}
	return b.Bytes()
}

// TestWriteSafetensorsGolden pins the byte layout against files written out
// from the format's specification.
func TestWriteSafetensorsGolden(t *testing.T) {
	cases := []struct {
		name     string
		tensors  []nn.NamedTensor
		metadata map[string]string
		want     []byte
	}{
		{
			name:    "empty", // "{}" padded to 8 bytes, as the reference writes it
			want:    []byte{8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ', ' ', ' ', ' ', ' ', ' '},
			tensors: nil,
		},
		{
			name: "metadata and two tensors, given out of order",
			tensors: []nn.NamedTensor{
				{Name: "b", Shape: []int{2}, Data: []float32{1, -2}},
				{Name: "a", Shape: []int{1, 1}, Data: []float32{0.5}},
			},
			metadata: map[string]string{"format": "pt"},
			// 141 bytes of JSON + 3 spaces = 144 = 0x90; then 0.5 (0x3F000000),
			// 1 (0x3F800000), -2 (0xC0000000), little-endian.
			want: append(append([]byte{0x90, 0, 0, 0, 0, 0, 0, 0},
				`{"__metadata__":{"format":"pt"},`+
					`"a":{"dtype":"F32","shape":[1,1],"data_offsets":[0,4]},`+
					`"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}   `...),
				0, 0, 0, 0x3F, 0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0),
		},
		{
			name:    "one tensor, 65 bytes of JSON padded to 72",
			tensors: []nn.NamedTensor{{Name: "attn0", Shape: []int{1, 1, 2, 3}, Data: []float32{0, 1, 2, 3, 4, 5}}},
			want: stFile(`{"attn0":{"dtype":"F32","shape":[1,1,2,3],"data_offsets":[0,24]}}       `,
				0, 1, 2, 3, 4, 5),
		},
		{
			name:     "scalar, escaped names, metadata sorted",
			tensors:  []nn.NamedTensor{{Name: `q"<&>`, Shape: []int{}, Data: []float32{7}}},
			metadata: map[string]string{"z": "1", "a": "é\n"},
			want: stFile(`{"__metadata__":{"a":"é\n","z":"1"},"q\"<&>":{"dtype":"F32","shape":[],"data_offsets":[0,4]}}`+
				`  `, 7), // 94 bytes of JSON (é is two) + 2 spaces
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := nn.WriteSafetensors(&buf, c.tensors, c.metadata); err != nil {
				t.Fatal(err)
			}
			got := buf.Bytes()
			if !bytes.Equal(got, c.want) {
				t.Fatalf("bytes differ:\n got %q\nwant %q", got, c.want)
			}
			if n := binary.LittleEndian.Uint64(got); (8+n)%8 != 0 {
				t.Errorf("header length %d leaves the data unaligned", n)
			}
			tensors, metadata, err := nn.ReadSafetensors(got)
			if err != nil {
				t.Fatal(err)
			}
			if len(tensors) != len(c.tensors) || !maps.Equal(metadata, c.metadata) && len(c.metadata) > 0 {
				t.Errorf("read back %d tensors, metadata %v", len(tensors), metadata)
			}
		})
	}
}

func TestSafetensorsRoundTrip(t *testing.T) {
	in := []nn.NamedTensor{
		{Name: "trunk.conv1.weight", Shape: []int{4, 3, 3, 3}, Data: make([]float32, 108)},
		{Name: "trunk.bn1.running_var", Shape: []int{4}, Data: []float32{1, 2, float32(math.Inf(1)), float32(math.NaN())}},
		{Name: "head.fc.bias", Shape: []int{0}, Data: []float32{}},
		{Name: "empty.too", Shape: []int{3, 0}, Data: nil},
		{Name: "optim.step", Shape: []int{1}, Data: []float32{12345}},
	}
	for i := range in[0].Data {
		in[0].Data[i] = float32(i)*0.37 - 11
	}
	meta := map[string]string{"task": "rotation", "step": "12345"}
	var buf bytes.Buffer
	if err := nn.WriteSafetensors(&buf, in, meta); err != nil {
		t.Fatal(err)
	}
	tensors, metadata, err := nn.ReadSafetensors(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(metadata, meta) {
		t.Errorf("metadata %v, want %v", metadata, meta)
	}
	if len(tensors) != len(in) {
		t.Errorf("%d tensors, want %d", len(tensors), len(in))
	}
	for _, want := range in {
		got, ok := tensors[want.Name]
		if !ok {
			t.Errorf("missing %s", want.Name)
			continue
		}
		if got.Name != want.Name || !slices.Equal(got.Shape, want.Shape) || len(got.Data) != len(want.Data) {
			t.Errorf("%s: got %s %v with %d values", want.Name, got.Name, got.Shape, len(got.Data))
			continue
		}
		for i := range want.Data {
			if math.Float32bits(got.Data[i]) != math.Float32bits(want.Data[i]) {
				t.Errorf("%s[%d] = %g, want %g", want.Name, i, got.Data[i], want.Data[i])
			}
		}
	}
}

func TestWriteSafetensorsErrors(t *testing.T) {
	cases := []struct {
		name    string
		tensors []nn.NamedTensor
		want    string
	}{
		{"data/shape", []nn.NamedTensor{{Name: "w", Shape: []int{2, 2}, Data: make([]float32, 3)}}, `"w": 3 values for shape [2 2]`},
		{"negative", []nn.NamedTensor{{Name: "w", Shape: []int{-1}, Data: nil}}, "negative dimension"},
		{"duplicate", []nn.NamedTensor{{Name: "w", Shape: []int{}, Data: []float32{1}}, {Name: "w", Shape: []int{}, Data: []float32{1}}}, `duplicate tensor name "w"`},
		{"reserved", []nn.NamedTensor{{Name: "__metadata__", Shape: []int{}, Data: []float32{1}}}, "reserved"},
		{"not utf-8", []nn.NamedTensor{{Name: "w\xff", Shape: []int{}, Data: []float32{1}}}, "not valid UTF-8"},
	}
	for _, c := range cases {
		var buf bytes.Buffer
		err := nn.WriteSafetensors(&buf, c.tensors, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
		if buf.Len() != 0 {
			t.Errorf("%s: wrote %d bytes despite the error", c.name, buf.Len())
		}
	}
	if err := nn.WriteSafetensors(io.Discard, nil, map[string]string{"k": "\xfe"}); err == nil {
		t.Error("metadata that is not UTF-8 accepted")
	}
	if err := nn.WriteSafetensors(failingWriter{}, nil, nil); err == nil {
		t.Error("write error not reported")
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

// corruptSafetensors are invalid files, each with a fragment of the error
// it must produce. The fuzz target starts from them too.
var corruptSafetensors = []struct {
	name string
	file []byte
	want string
}{
	{"empty file", nil, "too short"},
	{"truncated length", []byte{8, 0, 0}, "too short"},
	{"header length beyond file", stFile(`{}`)[:9], "exceeds the 1 bytes after it"},
	{"header length huge", append([]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, "{}"...), "exceeds the limit"},
	{"header just over the limit", binary.LittleEndian.AppendUint64(nil, nn.MaxSafetensorsHeader+1), "exceeds the limit"},
	{"truncated data", stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}`, 1), "beyond the file's 4 data bytes"},
	{"bad json", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}`, 1), "header"},
	{"not an object", stFile(`[1,2]`), "does not start with '{'"},
	{"leading space", stFile(` {}`), "does not start with '{'"},
	{"trailing garbage", stFile(`{}x`), "unexpected bytes after"},
	{"two objects", stFile(`{}{}`), "unexpected bytes after"},
	{"invalid utf-8", stFile("{\"\xff\":{}}"), "UTF-8"},
	{"wrong dtype", stFile(`{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}`, 0), `tensor "w" has dtype "F16"`},
	{"dtype not a string", stFile(`{"w":{"dtype":32,"shape":[1],"data_offsets":[0,4]}}`, 0), `tensor "w": dtype`},
	{"no dtype", stFile(`{"w":{"shape":[1],"data_offsets":[0,4]}}`, 0), "no dtype"},
	{"no shape", stFile(`{"w":{"dtype":"F32","data_offsets":[0,4]}}`, 0), "no shape"},
	{"no offsets", stFile(`{"w":{"dtype":"F32","shape":[1]}}`, 0), "no data_offsets"},
	{"entry not an object", stFile(`{"w":[1]}`), `tensor "w": header entry is not a JSON object`},
	{"entry null", stFile(`{"w":null}`), `tensor "w": header entry is not a JSON object`},
	{"shape/offset mismatch", stFile(`{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}`, 0, 0), "span 8 bytes, but F32 shape [3] needs 12"},
	{"negative dim", stFile(`{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}`, 0), "shape [-1]: dimension -1 is not a non-negative"},
	{"fractional dim", stFile(`{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,4]}}`, 0), "not a non-negative"},
	{"overflow dims", stFile(`{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}`, 0), "too many elements"},
	{"overflow bytes", stFile(`{"w":{"dtype":"F32","shape":[4611686018427387904],"data_offsets":[0,0]}}`), "too many elements"},
	{"dim beyond uint64", stFile(`{"w":{"dtype":"F32","shape":[18446744073709551616],"data_offsets":[0,4]}}`, 0), "not a non-negative"},
	{"negative offset", stFile(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[-4,0]}}`, 0), "data_offsets [-4 0] are not non-negative"},
	{"three offsets", stFile(`{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4,8]}}`, 0), "has 3 numbers"},
	{"reversed offsets", stFile(`{"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}`, 0), "end before they begin"},
	{"overlap", stFile(`{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}`, 0, 0, 0), `tensor "b": data_offsets [4 12] overlap tensor "a"`},
	{"same range twice", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 0), "overlap"},
	{"gap", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}`, 0, 0, 0), "gap of unused bytes [4 8]"},
	{"gap at start", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 0, 0), "gap"},
	{"trailing data", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}`, 0, 0), "cover 4 of the file's 8 data bytes"},
	{"data without tensors", stFile(`{}`, 0), "cover 0 of the file's 4"},
	{"duplicate key", stFile(`{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}`, 0, 0), `duplicate key "a"`},
	{"duplicate metadata", stFile(`{"__metadata__":{},"__metadata__":{}}`), "duplicate key"},
	{"metadata not strings", stFile(`{"__metadata__":{"epoch":3}}`), "__metadata__ must map strings to strings"},
}

func TestReadSafetensorsRejectsCorruptFiles(t *testing.T) {
	for _, c := range corruptSafetensors {
		t.Run(c.name, func(t *testing.T) {
			tensors, metadata, err := nn.ReadSafetensors(c.file)
			if err == nil {
				t.Fatalf("accepted: %d tensors, metadata %v", len(tensors), metadata)
			}
			if !strings.HasPrefix(err.Error(), "safetensors: ") || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q, want one containing %q", err, c.want)
			}
			if tensors != nil || metadata != nil {
				t.Error("returned data with the error")
			}
		})
	}
}

// TestReadSafetensorsAcceptsOtherWriters reads files laid out differently
// from ours but valid: entries out of offset order, no padding, metadata
// last, unknown fields, zero-sized tensors sharing an offset.
func TestReadSafetensorsAcceptsOtherWriters(t *testing.T) {
	file := stFile(`{"b":{"shape":[1],"dtype":"F32","data_offsets":[4,8],"extra":true},`+
		`"z":{"dtype":"F32","shape":[0,5],"data_offsets":[4,4]},`+
		`"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"__metadata__":{"k":"v"}}`, 3, 4)
	tensors, metadata, err := nn.ReadSafetensors(file)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := tensors["a"], tensors["b"]; len(tensors) != 3 || a.Data[0] != 3 || b.Data[0] != 4 || len(a.Shape) != 0 ||
		!slices.Equal(tensors["z"].Shape, []int{0, 5}) || metadata["k"] != "v" {
		t.Errorf("read %v, metadata %v", tensors, metadata)
	}
}

func TestLoadInto(t *testing.T) {
	ckpt := map[string]nn.NamedTensor{
		"trunk.conv1.weight": {Name: "trunk.conv1.weight", Shape: []int{2, 1}, Data: []float32{1, 2}},
		"trunk.conv1.bias":   {Name: "trunk.conv1.bias", Shape: []int{2}, Data: []float32{3, 4}},
	}
	w, b := make([]float32, 2), make([]float32, 2)
	want := []nn.NamedTensor{
		{Name: "trunk.conv1.weight", Shape: []int{2, 1}, Data: w},
		{Name: "trunk.conv1.bias", Shape: []int{2}, Data: b},
	}
	if err := nn.LoadInto(ckpt, want); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(w, []float32{1, 2}) || !slices.Equal(b, []float32{3, 4}) {
		t.Errorf("loaded %v %v", w, b)
	}

	cases := []struct {
		name string
		want []nn.NamedTensor
		errs []string
	}{
		{"shape", []nn.NamedTensor{{Name: "trunk.conv1.weight", Shape: []int{1, 2}, Data: make([]float32, 2)}, want[1]},
			[]string{"checkpoint has trunk.conv1.weight with shape [2 1], model expects [1 2]: different architecture?"}},
		{"missing and extra", []nn.NamedTensor{want[0], {Name: "head.fc.bias", Shape: []int{2}, Data: make([]float32, 2)}},
			[]string{"checkpoint has no head.fc.bias", "tensors the model does not: trunk.conv1.bias"}},
	}
	for _, c := range cases {
		before := slices.Clone(c.want[0].Data)
		err := nn.LoadInto(ckpt, c.want)
		if err == nil {
			t.Errorf("%s: no error", c.name)
			continue
		}
		for _, e := range c.errs {
			if !strings.Contains(err.Error(), e) {
				t.Errorf("%s: error %q, want it to contain %q", c.name, err, e)
			}
		}
		if !slices.Equal(c.want[0].Data, before) {
			t.Errorf("%s: copied data despite the error", c.name)
		}
	}
}
