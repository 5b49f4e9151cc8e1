//go:build js

package protocol

import (
	"reflect"
	"syscall/js"
	"testing"
)

// Every sample survives Encode → ToJS → FromJS → Decode, as between threads.
func TestJSRoundTrip(t *testing.T) {
	for _, m := range samples() {
		p, err := Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		obj, transfer := ToJS(p)
		if len(transfer) != len(p.Buffers) {
			t.Errorf("%s: %d transferables for %d buffers", m.Kind(), len(transfer), len(p.Buffers))
		}
		q, raw, err := FromJS(obj, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(raw) != len(p.Buffers) {
			t.Errorf("%s: %d raw buffers, want %d", m.Kind(), len(raw), len(p.Buffers))
		}
		got, err := Decode(q)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, m) {
			t.Errorf("%s: got %#v, want %#v", m.Kind(), got, m)
		}
	}
}

// ObjectWith puts JS values in a message's buffer slots; FromJS without
// copying hands them back, and Decode still checks their count.
func TestObjectWith(t *testing.T) {
	blob := js.Global().Get("Blob").New([]any{"pixels"})
	sab := js.Global().Get("SharedArrayBuffer").New(16)
	for _, tc := range []struct {
		m    Msg
		bufs []js.Value
	}{
		{&Classify{File: File{Name: "me.jpg"}}, []js.Value{blob}},
		{&AddImages{Split: SplitLabeled, Files: []File{{Name: "a/1.png"}, {Name: "b/2.png"}}}, []js.Value{blob, blob}},
		{&ReplicaJob{Run: 1, Index: 1, Workers: 2, Job: []byte(`{}`)}, []js.Value{sab, sab}},
	} {
		obj, err := ObjectWith(tc.m, tc.bufs)
		if err != nil {
			t.Fatal(err)
		}
		p, raw, err := FromJS(obj, false)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(p)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(withoutBuffers(got), withoutBuffers(tc.m)) {
			t.Errorf("%s: got %#v, want %#v", tc.m.Kind(), got, tc.m)
		}
		for i, v := range raw {
			if !v.Equal(tc.bufs[i]) {
				t.Errorf("%s: buffer %d is not the value given", tc.m.Kind(), i)
			}
		}
		if _, err := ObjectWith(tc.m, tc.bufs[1:]); err == nil {
			t.Errorf("%s: ObjectWith took a buffer too few", tc.m.Kind())
		}
	}
}

// withoutBuffers is m with its buffer slots nil.
func withoutBuffers(m Msg) Msg {
	p, err := Encode(m)
	if err != nil {
		panic(err)
	}
	p.Buffers = make([][]byte, len(p.Buffers))
	out, err := Decode(p)
	if err != nil {
		panic(err)
	}
	return out
}
