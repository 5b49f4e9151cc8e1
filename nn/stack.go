package nn

import "fmt"

// Named is a layer with its PyTorch-style name inside a stack ("conv1", "bn1").
type Named struct {
	Name  string
	Layer Layer
}

// Stack runs named layers in order: y = fₙ(…f₂(f₁(x))). The names give the
// checkpoint keys ("<prefix>.<name>.<param>"), as PyTorch's nn.Module does.
type Stack struct {
	Layers []Named
}

// Add appends a layer under a name and returns the stack.
func (s *Stack) Add(name string, l Layer) *Stack {
	for _, n := range s.Layers {
		if n.Name == name {
			panic(fmt.Sprintf("nn: duplicate layer name %q", name))
		}
	}
	s.Layers = append(s.Layers, Named{name, l})
	return s
}

// Forward runs every layer in order.
func (s *Stack) Forward(x *Tensor, train bool) *Tensor {
	for _, n := range s.Layers {
		x = n.Layer.Forward(x, train)
	}
	return x
}

// Backward runs every layer's backward in reverse order and returns dL/dx
// (nil when the first layer skips its input gradient).
func (s *Stack) Backward(dy *Tensor) *Tensor {
	for i := len(s.Layers) - 1; i >= 0; i-- {
		dy = s.Layers[i].Layer.Backward(dy)
		if dy == nil {
			if i != 0 {
				panic(fmt.Sprintf("nn: layer %q returned no input gradient but is not first", s.Layers[i].Name))
			}
			return nil
		}
	}
	return dy
}

// Params returns every layer's trainable parameters in order.
func (s *Stack) Params() []*Param {
	var ps []*Param
	for _, n := range s.Layers {
		ps = append(ps, n.Layer.Params()...)
	}
	return ps
}

// Tensors lists every parameter and buffer under "<prefix>.<layer>.<name>",
// the checkpoint's keys. Data aliases the live values: loading into it
// changes the model.
func (s *Stack) Tensors(prefix string) []NamedTensor {
	var es []NamedTensor
	for _, n := range s.Layers {
		for _, p := range n.Layer.Params() {
			es = append(es, NamedTensor{prefix + "." + n.Name + "." + p.Name, p.Shape, p.Value})
		}
		if st, ok := n.Layer.(Stateful); ok {
			for _, b := range st.Buffers() {
				es = append(es, NamedTensor{prefix + "." + n.Name + "." + b.Name, b.Shape, b.Value})
			}
		}
	}
	return es
}
