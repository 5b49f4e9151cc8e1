//go:build js

package protocol

import (
	"reflect"
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
