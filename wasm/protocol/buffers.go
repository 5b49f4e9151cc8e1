package protocol

import "reflect"

// Buffers methods: every []byte field tagged json:"-", in a fixed order.

func (m *AddImages) Buffers() []*[]byte {
	b := make([]*[]byte, len(m.Files))
	for i := range m.Files {
		b[i] = &m.Files[i].Data
	}
	return b
}

func (m *Classify) Buffers() []*[]byte   { return []*[]byte{&m.File.Data} }
func (m *LoadModel) Buffers() []*[]byte  { return []*[]byte{&m.Data} }
func (m *Model) Buffers() []*[]byte      { return []*[]byte{&m.Data} }
func (m *Classified) Buffers() []*[]byte { return []*[]byte{&m.PNG} }
func (m *ReplicaJob) Buffers() []*[]byte { return []*[]byte{&m.Memory, &m.Pool} }

func (m *DataLoaded) Buffers() []*[]byte {
	b := make([]*[]byte, len(m.Thumbs))
	for i := range m.Thumbs {
		b[i] = &m.Thumbs[i].PNG
	}
	return b
}

func (m *UnlabeledPage) Buffers() []*[]byte {
	b := make([]*[]byte, len(m.Items))
	for i := range m.Items {
		b[i] = &m.Items[i].PNG
	}
	return b
}

func (m *Examples) Buffers() []*[]byte {
	b := make([]*[]byte, len(m.Items))
	for i := range m.Items {
		b[i] = &m.Items[i].PNG
	}
	return b
}

func (m *Results) Buffers() []*[]byte {
	b := make([]*[]byte, len(m.Predictions))
	for i := range m.Predictions {
		b[i] = &m.Predictions[i].PNG
	}
	return b
}

// Buffers of a Snapshot are those of its parts, in field order.
func (m *Snapshot) Buffers() []*[]byte {
	var b []*[]byte
	if m.Data != nil {
		b = append(b, m.Data.Buffers()...)
	}
	if m.Examples != nil {
		b = append(b, m.Examples.Buffers()...)
	}
	if m.Results != nil {
		b = append(b, m.Results.Buffers()...)
	}
	return b
}

// copyInto sets *dst = src for a pointer dst and a value src of the same type.
func copyInto(dst, src Msg) {
	reflect.ValueOf(dst).Elem().Set(reflect.ValueOf(src))
}
