//go:build js

package protocol

import (
	"fmt"
	"syscall/js"
)

// A packet on the JS side is a plain object {kind: string, json: string,
// buffers: [ArrayBuffer | Blob | SharedArrayBuffer, ...]};
// postMessage(obj, transfer) moves the ArrayBuffers. Blobs (File objects
// from a picker or a drop) are structured-cloned, which shares the
// underlying data rather than copying it; SharedArrayBuffers are shared.

var (
	uint8Array  = js.Global().Get("Uint8Array")
	arrayBuffer = js.Global().Get("ArrayBuffer")
	object      = js.Global().Get("Object")
)

// ToJS converts a packet to its JS object and returns the ArrayBuffers to
// list as postMessage's transfer argument. Each buffer is copied once into
// a fresh ArrayBuffer.
func ToJS(p Packet) (msg js.Value, transfer []any) {
	bufs := make([]any, len(p.Buffers))
	for i, b := range p.Buffers {
		u := uint8Array.New(len(b))
		js.CopyBytesToJS(u, b)
		bufs[i] = u.Get("buffer")
	}
	return packetObject(p.Kind, p.JSON, bufs), bufs
}

// ObjectWith encodes m as a packet object whose buffers are the given JS
// values, one per Carrier slot of m, in place of its byte slices (which
// are left out): Blobs the receiver reads itself, or SharedArrayBuffers it
// shares. Nothing is to be transferred.
func ObjectWith(m Msg, buffers []js.Value) (js.Value, error) {
	p, err := Encode(m)
	if err != nil {
		return js.Value{}, err
	}
	if len(buffers) != len(p.Buffers) {
		return js.Value{}, fmt.Errorf("protocol: encode %s: %d JS buffers for %d slots", p.Kind, len(buffers), len(p.Buffers))
	}
	bufs := make([]any, len(buffers))
	for i, b := range buffers {
		bufs[i] = b
	}
	return packetObject(p.Kind, p.JSON, bufs), nil
}

// packetObject builds a packet object from its parts.
func packetObject(kind string, raw []byte, buffers []any) js.Value {
	o := object.New()
	o.Set("kind", kind)
	o.Set("json", string(raw))
	o.Set("buffers", js.ValueOf(buffers))
	return o
}

// FromJS reads a packet object. With copyBuffers, each ArrayBuffer is copied
// into Packet.Buffers; without (for Blobs and SharedArrayBuffers, see
// ObjectWith), Packet.Buffers holds one nil per buffer (so Decode still
// checks the count) and the caller reads the JS buffers, which FromJS
// returns in both cases.
func FromJS(v js.Value, copyBuffers bool) (Packet, []js.Value, error) {
	if v.Type() != js.TypeObject || v.Get("kind").Type() != js.TypeString {
		return Packet{}, nil, fmt.Errorf("protocol: message is not a packet object")
	}
	p := Packet{Kind: v.Get("kind").String()}
	if j := v.Get("json"); j.Type() == js.TypeString {
		p.JSON = []byte(j.String())
	}
	var raw []js.Value
	if bs := v.Get("buffers"); bs.Type() == js.TypeObject {
		n := bs.Length()
		raw = make([]js.Value, n)
		p.Buffers = make([][]byte, n)
		for i := range n {
			raw[i] = bs.Index(i)
			if !copyBuffers {
				continue
			}
			if !raw[i].InstanceOf(arrayBuffer) {
				return Packet{}, nil, fmt.Errorf("protocol: %s: buffer %d is not an ArrayBuffer", p.Kind, i)
			}
			p.Buffers[i] = BytesFromJS(raw[i])
		}
	}
	return p, raw, nil
}

// BytesFromJS copies an ArrayBuffer or typed array into Go memory.
func BytesFromJS(v js.Value) []byte {
	if v.InstanceOf(arrayBuffer) {
		v = uint8Array.New(v)
	} else if !v.InstanceOf(uint8Array) {
		v = uint8Array.New(v.Get("buffer"), v.Get("byteOffset"), v.Get("byteLength"))
	}
	b := make([]byte, v.Get("byteLength").Int())
	js.CopyBytesToGo(b, v)
	return b
}
