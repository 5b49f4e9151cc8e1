package protocol

import (
	"bytes"
	"reflect"
	"testing"
)

// FuzzDecode feeds the trainer's message decoding arbitrary packets: Decode
// never panics, refuses with an error, or returns a message of the packet's
// kind that encodes back to a packet which decodes to the same message.
// Seeds are every round-trip sample of codec_test.go plus broken variants;
// they run as normal tests. To search for more:
//
//	go test -run '^$' -fuzz FuzzDecode -fuzztime 10m ./wasm/protocol/
func FuzzDecode(f *testing.F) {
	for _, m := range samples() {
		p, err := Encode(m)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(p.Kind, p.JSON, len(p.Buffers), []byte{1, 2, 3})
		f.Add(p.Kind, p.JSON[:len(p.JSON)/2], len(p.Buffers), []byte(nil))
		f.Add(p.Kind, p.JSON, len(p.Buffers)+1, []byte(nil))
	}
	f.Add("NoSuchKind", []byte(`{}`), 0, []byte(nil))
	f.Add(KindAddImages, []byte(`{"split":"labeled","files":[{"name":"a"},{"name":"b"}]}`), 1, []byte{9})
	f.Add(KindProgress, []byte(`{"step":-1,"loss":1e400}`), 0, []byte(nil))
	f.Fuzz(func(t *testing.T, kind string, js []byte, nbuf int, buf []byte) {
		if nbuf < 0 || nbuf > 64 {
			return
		}
		p := Packet{Kind: kind, JSON: js}
		for i := range nbuf {
			p.Buffers = append(p.Buffers, append([]byte{byte(i)}, buf...))
		}
		m, err := Decode(p)
		if err != nil {
			if m != nil {
				t.Fatalf("error %v with a message", err)
			}
			return
		}
		if m.Kind() != kind {
			t.Fatalf("packet of kind %q decoded to a %s", kind, m.Kind())
		}
		q, err := Encode(m)
		if err != nil {
			t.Fatalf("a decoded %s does not encode: %v", kind, err)
		}
		if len(q.Buffers) != len(p.Buffers) {
			t.Fatalf("%s: %d buffers in, %d out", kind, len(p.Buffers), len(q.Buffers))
		}
		for i := range q.Buffers {
			if !bytes.Equal(q.Buffers[i], p.Buffers[i]) {
				t.Fatalf("%s: buffer %d changed", kind, i)
			}
		}
		m2, err := Decode(q)
		if err != nil {
			t.Fatalf("%s: re-encoded packet does not decode: %v", kind, err)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("%s: round trip changed the message:\n%+v\n%+v", kind, m, m2)
		}
	})
}
