package protocol

import (
	"encoding/json"
	"fmt"
)

// Msg is any message of this package. Kind is the type's name ("Progress").
type Msg interface {
	Kind() string
}

// Carrier is implemented by messages with byte buffers outside their JSON.
// Buffers returns pointers to those []byte fields, in an order that depends
// only on the JSON part (so the decoder, having unmarshalled the JSON, gets
// the same list and fills it).
type Carrier interface {
	Buffers() []*[]byte
}

// Packet is a message in transit: its kind, its JSON, its buffers.
type Packet struct {
	Kind    string
	JSON    []byte
	Buffers [][]byte
}

// Encode turns a message (a value or a pointer) into a packet. The buffers
// alias the message's byte slices; nothing is copied.
func Encode(m Msg) (Packet, error) {
	raw, err := json.Marshal(m)
	if err != nil {
		return Packet{}, fmt.Errorf("protocol: encode %s: %w", m.Kind(), err)
	}
	p := Packet{Kind: m.Kind(), JSON: raw}
	if c, ok := asCarrier(m); ok {
		for _, b := range c.Buffers() {
			p.Buffers = append(p.Buffers, *b)
		}
	}
	return p, nil
}

// Decode turns a packet back into a message, always a pointer (*Progress).
// It fails on an unknown kind, bad JSON, or a buffer count that does not
// match the JSON.
func Decode(p Packet) (Msg, error) {
	mk, ok := registry[p.Kind]
	if !ok {
		return nil, fmt.Errorf("protocol: unknown message kind %q", p.Kind)
	}
	m := mk()
	if len(p.JSON) > 0 {
		if err := json.Unmarshal(p.JSON, m); err != nil {
			return nil, fmt.Errorf("protocol: decode %s: %w", p.Kind, err)
		}
	}
	var slots []*[]byte
	if c, ok := m.(Carrier); ok {
		slots = c.Buffers()
	}
	if len(slots) != len(p.Buffers) {
		return nil, fmt.Errorf("protocol: decode %s: %d buffers for %d slots", p.Kind, len(p.Buffers), len(slots))
	}
	for i, s := range slots {
		*s = p.Buffers[i]
	}
	return m, nil
}

// asCarrier finds the Carrier of a message given by value or by pointer.
// All Buffers methods have pointer receivers, so a value is copied first
// (its slices still alias the caller's bytes).
func asCarrier(m Msg) (Carrier, bool) {
	if c, ok := m.(Carrier); ok {
		return c, true
	}
	mk, ok := registry[m.Kind()]
	if !ok {
		return nil, false
	}
	p := mk()
	if _, ok := p.(Carrier); !ok {
		return nil, false
	}
	copyInto(p, m)
	return p.(Carrier), true
}
