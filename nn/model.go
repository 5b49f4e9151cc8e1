package nn

import "math/rand/v2"

// Model is a trunk with a head: logits = head(trunk(x)).
//
// With FreezeTrunk set (the linear probe), the trunk runs in evaluation mode
// (batch norm uses its running statistics), receives no gradient and is left
// out of Params, so an optimizer cannot change it.
type Model struct {
	Trunk       *Trunk
	Head        *Head
	FreezeTrunk bool
}

// Forward returns the logits for a batch x (N, C, H, W).
func (m *Model) Forward(x *Tensor, train bool) *Tensor {
	f := m.Trunk.Forward(x, train && !m.FreezeTrunk)
	return m.Head.Forward(f, train)
}

// Backward propagates dL/dlogits through the head and, unless frozen, the trunk.
func (m *Model) Backward(dlogits *Tensor) {
	d := m.Head.Backward(dlogits)
	if !m.FreezeTrunk {
		m.Trunk.Backward(d)
	}
}

// Params returns the parameters an optimizer should update.
func (m *Model) Params() []*Param {
	if m.FreezeTrunk {
		return m.Head.Params()
	}
	return append(m.Trunk.Params(), m.Head.Params()...)
}

// Buffers returns every layer's non-trainable state (batch-norm running
// statistics), trunk then head, frozen or not.
func (m *Model) Buffers() []*Buffer {
	var bs []*Buffer
	for _, s := range []*Stack{&m.Trunk.Stack, &m.Head.Stack} {
		for _, n := range s.Layers {
			if st, ok := n.Layer.(Stateful); ok {
				bs = append(bs, st.Buffers()...)
			}
		}
	}
	return bs
}

// ZeroGrad clears the gradients of every parameter, frozen ones included.
func (m *Model) ZeroGrad() {
	for _, p := range m.Trunk.Params() {
		clear(p.Grad)
	}
	for _, p := range m.Head.Params() {
		clear(p.Grad)
	}
}

// Tensors lists every parameter and buffer under its checkpoint name
// ("trunk.conv1.weight", "head.fc2.bias", "trunk.bn1.running_mean").
func (m *Model) Tensors() []NamedTensor {
	return append(m.Trunk.Tensors("trunk"), m.Head.Tensors("head")...)
}

// NumParams counts trainable scalars, frozen ones included.
func (m *Model) NumParams() int {
	return countParams(m.Trunk.Params()) + countParams(m.Head.Params())
}

// Clone returns an independent copy of the model: same architecture, same
// weights and buffers, same FreezeTrunk.
func (m *Model) Clone() *Model {
	head := NewHead(m.Head.Config, m.Trunk.Config.Channels(), rand.New(rand.NewPCG(0, 0)))
	c := &Model{Trunk: m.Trunk.Clone(), Head: head, FreezeTrunk: m.FreezeTrunk}
	src, dst := m.Head.Tensors("head"), head.Tensors("head")
	for i := range dst {
		copy(dst[i].Data, src[i].Data)
	}
	return c
}
