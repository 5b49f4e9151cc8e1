package nn

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// NamedTensor is one tensor of a checkpoint: a dotted PyTorch-style name
// ("trunk.conv1.weight"), its shape, and its float32 values in row-major order.
type NamedTensor struct {
	Name  string
	Shape []int
	Data  []float32
}

// MaxSafetensorsHeader bounds the JSON header ReadSafetensors accepts, as the
// reference implementation bounds it (100 MB), whatever the file claims.
const MaxSafetensorsHeader = 100_000_000

// safetensorsMetadataKey is the header key reserved for string metadata.
const safetensorsMetadataKey = "__metadata__"

// WriteSafetensors writes tensors in the safetensors format
// (https://github.com/huggingface/safetensors):
//
//	[8 bytes] N, the header length, little-endian uint64
//	[N bytes] JSON header {"__metadata__":{"k":"v",...},
//	          "name":{"dtype":"F32","shape":[...],"data_offsets":[begin,end]},...}
//	          padded with spaces so that 8+N is a multiple of 8
//	[rest]    the tensors' little-endian float32 data, back to back
//
// Offsets count from the start of the data section. Tensors are written in
// name order, so the output is deterministic; "__metadata__" is present only
// when metadata is not empty. The file loads with Python's
// safetensors.torch.load_file. It returns an error for a tensor whose data
// does not match its shape, a negative dimension, a duplicate or reserved
// name, or names and metadata that are not UTF-8, before writing anything.
func WriteSafetensors(w io.Writer, tensors []NamedTensor, metadata map[string]string) error {
	sorted := slices.Clone(tensors)
	slices.SortFunc(sorted, func(a, b NamedTensor) int { return strings.Compare(a.Name, b.Name) })
	var h bytes.Buffer
	h.WriteByte('{')
	if len(metadata) > 0 {
		keys := make([]string, 0, len(metadata))
		for k, v := range metadata {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				return fmt.Errorf("safetensors: metadata %q: %q is not valid UTF-8", k, v)
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		writeJSONString(&h, safetensorsMetadataKey)
		h.WriteString(":{")
		for i, k := range keys {
			if i > 0 {
				h.WriteByte(',')
			}
			writeJSONString(&h, k)
			h.WriteByte(':')
			writeJSONString(&h, metadata[k])
		}
		h.WriteByte('}')
	}
	offset := 0
	for i, t := range sorted {
		if t.Name == safetensorsMetadataKey {
			return fmt.Errorf("safetensors: tensor name %q is reserved", t.Name)
		}
		if !utf8.ValidString(t.Name) {
			return fmt.Errorf("safetensors: tensor name %q is not valid UTF-8", t.Name)
		}
		if i > 0 && sorted[i-1].Name == t.Name {
			return fmt.Errorf("safetensors: duplicate tensor name %q", t.Name)
		}
		n := 1
		for _, d := range t.Shape {
			if d < 0 {
				return fmt.Errorf("safetensors: tensor %q: negative dimension in shape %v", t.Name, t.Shape)
			}
			n *= d
		}
		if n != len(t.Data) {
			return fmt.Errorf("safetensors: tensor %q: %d values for shape %v", t.Name, len(t.Data), t.Shape)
		}
		if i > 0 || len(metadata) > 0 {
			h.WriteByte(',')
		}
		writeJSONString(&h, t.Name)
		h.WriteString(`:{"dtype":"F32","shape":[`)
		for j, d := range t.Shape {
			if j > 0 {
				h.WriteByte(',')
			}
			fmt.Fprint(&h, d)
		}
		fmt.Fprintf(&h, `],"data_offsets":[%d,%d]}`, offset, offset+4*n)
		offset += 4 * n
	}
	h.WriteByte('}')
	for h.Len()%8 != 0 {
		h.WriteByte(' ')
	}

	bw := bufio.NewWriterSize(w, 64<<10)
	var word [8]byte
	binary.LittleEndian.PutUint64(word[:], uint64(h.Len()))
	bw.Write(word[:])
	bw.Write(h.Bytes())
	for _, t := range sorted {
		for _, v := range t.Data {
			binary.LittleEndian.PutUint32(word[:4], math.Float32bits(v))
			bw.Write(word[:4])
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("safetensors: write: %w", err)
	}
	return nil
}

// writeJSONString writes s as a JSON string, leaving <, > and & unescaped.
func writeJSONString(b *bytes.Buffer, s string) {
	enc := json.NewEncoder(b)
	enc.SetEscapeHTML(false)
	enc.Encode(s)           // cannot fail for a string
	b.Truncate(b.Len() - 1) // Encode appends a newline
}

// stEntry is a tensor's header entry, validated but not yet copied.
type stEntry struct {
	name       string
	shape      []int
	begin, end uint64
}

// ReadSafetensors parses a safetensors file held in data (see
// WriteSafetensors for the layout) and returns its tensors by name and its
// metadata. Every tensor must be F32.
//
// It validates the file as the reference implementation does and then some:
// the header length fits the file and MaxSafetensorsHeader; the header is
// UTF-8 JSON, one object starting with '{', without duplicate keys; every
// entry has a dtype, a shape of non-negative dimensions, and data_offsets
// [begin, end] with (∏ shape)·4 = end − begin, computed without overflow;
// the entries tile the data section exactly, without overlaps or gaps. It
// allocates only after all of that holds, so the memory it takes is bounded
// by the size of data, whatever the header claims. It never panics; errors
// say what is wrong and where.
func ReadSafetensors(data []byte) (tensors map[string]NamedTensor, metadata map[string]string, err error) {
	if len(data) < 8 {
		return nil, nil, fmt.Errorf("safetensors: file is %d bytes, too short for the 8-byte header length", len(data))
	}
	n := binary.LittleEndian.Uint64(data)
	if n > MaxSafetensorsHeader {
		return nil, nil, fmt.Errorf("safetensors: header length %d exceeds the limit of %d", n, MaxSafetensorsHeader)
	}
	if n > uint64(len(data)-8) {
		return nil, nil, fmt.Errorf("safetensors: header length %d exceeds the %d bytes after it", n, len(data)-8)
	}
	header, body := data[8:8+n], data[8+n:]
	entries, metadata, err := parseSafetensorsHeader(header)
	if err != nil {
		return nil, nil, err
	}
	if err := checkSafetensorsLayout(entries, uint64(len(body))); err != nil {
		return nil, nil, err
	}
	tensors = make(map[string]NamedTensor, len(entries))
	for _, e := range entries {
		raw := body[e.begin:e.end]
		vals := make([]float32, len(raw)/4)
		for i := range vals {
			vals[i] = math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:]))
		}
		tensors[e.name] = NamedTensor{Name: e.name, Shape: e.shape, Data: vals}
	}
	return tensors, metadata, nil
}

// parseSafetensorsHeader decodes the JSON header, checking each entry on its
// own (dtype, shape, offsets, sizes) but not how the entries fit together.
func parseSafetensorsHeader(header []byte) ([]stEntry, map[string]string, error) {
	if !utf8.Valid(header) {
		return nil, nil, errors.New("safetensors: header is not valid UTF-8")
	}
	if len(header) == 0 || header[0] != '{' {
		return nil, nil, errors.New("safetensors: header does not start with '{'")
	}
	dec := json.NewDecoder(bytes.NewReader(header))
	dec.UseNumber()
	if _, err := dec.Token(); err != nil { // the '{' checked above
		return nil, nil, fmt.Errorf("safetensors: header: %w", err)
	}
	var entries []stEntry
	var metadata map[string]string
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, nil, fmt.Errorf("safetensors: header: %w", err)
		}
		name, ok := tok.(string)
		if !ok {
			return nil, nil, fmt.Errorf("safetensors: header: unexpected %v where a key belongs", tok)
		}
		if seen[name] {
			return nil, nil, fmt.Errorf("safetensors: header: duplicate key %q", name)
		}
		seen[name] = true
		if name == safetensorsMetadataKey {
			if err := dec.Decode(&metadata); err != nil {
				return nil, nil, fmt.Errorf("safetensors: header: %s must map strings to strings: %w", safetensorsMetadataKey, err)
			}
			continue
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, nil, fmt.Errorf("safetensors: header: tensor %q: %w", name, err)
		}
		var raw map[string]json.RawMessage
		if value[0] != '{' || json.Unmarshal(value, &raw) != nil {
			return nil, nil, fmt.Errorf("safetensors: tensor %q: header entry is not a JSON object", name)
		}
		e, err := parseSafetensorsEntry(name, raw)
		if err != nil {
			return nil, nil, err
		}
		entries = append(entries, e)
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, nil, fmt.Errorf("safetensors: header: %w", err)
	}
	// Only the spaces of padding (any JSON whitespace) may follow.
	rest := header[dec.InputOffset():]
	if len(bytes.TrimLeft(rest, " \t\r\n")) != 0 {
		return nil, nil, fmt.Errorf("safetensors: header: %d unexpected bytes after the JSON object", len(rest))
	}
	return entries, metadata, nil
}

// parseSafetensorsEntry checks one tensor's header entry.
func parseSafetensorsEntry(name string, raw map[string]json.RawMessage) (stEntry, error) {
	e := stEntry{name: name}
	var dtype string
	var shape, offsets []json.Number
	for _, f := range []struct {
		key string
		dst any
	}{{"dtype", &dtype}, {"shape", &shape}, {"data_offsets", &offsets}} {
		r, ok := raw[f.key]
		if !ok {
			return e, fmt.Errorf("safetensors: tensor %q: header entry has no %s", name, f.key)
		}
		if err := json.Unmarshal(r, f.dst); err != nil {
			return e, fmt.Errorf("safetensors: tensor %q: %s: %w", name, f.key, err)
		}
	}
	if dtype != "F32" {
		return e, fmt.Errorf("safetensors: tensor %q has dtype %q; only F32 is supported", name, dtype)
	}
	// ∏ shape, failing on overflow as the reference does (checked_mul).
	count := uint64(1)
	e.shape = make([]int, len(shape))
	for i, s := range shape {
		d, ok := parseUint(s)
		if !ok {
			return e, fmt.Errorf("safetensors: tensor %q: shape %v: dimension %s is not a non-negative 64-bit integer", name, shape, s)
		}
		hi, lo := bits.Mul64(count, d)
		if hi != 0 || lo > math.MaxInt64/4 {
			return e, fmt.Errorf("safetensors: tensor %q: shape %v has too many elements", name, shape)
		}
		count = lo
		e.shape[i] = int(d)
	}
	if len(offsets) != 2 {
		return e, fmt.Errorf("safetensors: tensor %q: data_offsets has %d numbers, want 2", name, len(offsets))
	}
	var ok1, ok2 bool
	e.begin, ok1 = parseUint(offsets[0])
	e.end, ok2 = parseUint(offsets[1])
	if !ok1 || !ok2 {
		return e, fmt.Errorf("safetensors: tensor %q: data_offsets %v are not non-negative 64-bit integers", name, offsets)
	}
	if e.end < e.begin {
		return e, fmt.Errorf("safetensors: tensor %q: data_offsets [%d %d] end before they begin", name, e.begin, e.end)
	}
	if e.end-e.begin != 4*count {
		return e, fmt.Errorf("safetensors: tensor %q: data_offsets [%d %d] span %d bytes, but F32 shape %v needs %d",
			name, e.begin, e.end, e.end-e.begin, e.shape, 4*count)
	}
	return e, nil
}

// parseUint reads a JSON number as a non-negative integer.
func parseUint(n json.Number) (uint64, bool) {
	v, err := strconv.ParseUint(string(n), 10, 64)
	return v, err == nil
}

// checkSafetensorsLayout checks that the entries tile [0, size) exactly.
// It sorts entries by offset.
func checkSafetensorsLayout(entries []stEntry, size uint64) error {
	for _, e := range entries {
		if e.end > size {
			return fmt.Errorf("safetensors: tensor %q: data_offsets [%d %d] beyond the file's %d data bytes", e.name, e.begin, e.end, size)
		}
	}
	slices.SortFunc(entries, func(a, b stEntry) int {
		if c := cmpUint64(a.begin, b.begin); c != 0 {
			return c
		}
		return cmpUint64(a.end, b.end)
	})
	next, prev := uint64(0), ""
	for _, e := range entries {
		switch {
		case e.begin < next:
			return fmt.Errorf("safetensors: tensor %q: data_offsets [%d %d] overlap tensor %q, which ends at %d", e.name, e.begin, e.end, prev, next)
		case e.begin > next:
			return fmt.Errorf("safetensors: tensor %q: data_offsets [%d %d] leave a gap of unused bytes [%d %d]", e.name, e.begin, e.end, next, e.begin)
		}
		next, prev = e.end, e.name
	}
	if next != size {
		return fmt.Errorf("safetensors: tensors cover %d of the file's %d data bytes", next, size)
	}
	return nil
}

func cmpUint64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// LoadInto copies checkpoint tensors into a model's preallocated tensors
// (want: names, shapes and the destination slices, such as Model.Tensors()).
// Every wanted name must be present with exactly the wanted shape, and the
// checkpoint may hold nothing else; otherwise LoadInto returns an error that
// lists every missing, mismatched and unexpected tensor, and copies nothing.
// It panics if a wanted tensor's Data does not match its own shape or a name
// is wanted twice (programmer errors).
func LoadInto(tensors map[string]NamedTensor, want []NamedTensor) error {
	var problems []string
	wanted := make(map[string]bool, len(want))
	for _, w := range want {
		if wanted[w.Name] {
			panic(fmt.Sprintf("nn: LoadInto: %q wanted twice", w.Name))
		}
		wanted[w.Name] = true
		if numel(w.Shape) != len(w.Data) {
			panic(fmt.Sprintf("nn: LoadInto: %q has %d values for shape %v", w.Name, len(w.Data), w.Shape))
		}
		t, ok := tensors[w.Name]
		switch {
		case !ok:
			problems = append(problems, fmt.Sprintf("checkpoint has no %s (model expects shape %v)", w.Name, w.Shape))
		case !sameShape(t.Shape, w.Shape):
			problems = append(problems, fmt.Sprintf("checkpoint has %s with shape %v, model expects %v: different architecture?", w.Name, t.Shape, w.Shape))
		case len(t.Data) != len(w.Data):
			problems = append(problems, fmt.Sprintf("checkpoint has %s with %d values for shape %v", w.Name, len(t.Data), t.Shape))
		}
	}
	var extra []string
	for name := range tensors {
		if !wanted[name] {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		slices.Sort(extra)
		problems = append(problems, fmt.Sprintf("checkpoint has %d tensors the model does not: %s", len(extra), strings.Join(extra, ", ")))
	}
	if len(problems) > 0 {
		return errors.New("load checkpoint: " + strings.Join(problems, "; "))
	}
	for _, w := range want {
		copy(w.Data, tensors[w.Name].Data)
	}
	return nil
}
