package nn

// Sequential chains anonymous layers: y = fₙ(…f₂(f₁(x))). It is itself a
// Layer, handy in tests and small heads; Stack is the named variant whose
// names become checkpoint keys.
type Sequential []Layer

// Forward runs every layer in order.
func (s Sequential) Forward(x *Tensor, train bool) *Tensor {
	for _, l := range s {
		x = l.Forward(x, train)
	}
	return x
}

// Backward runs every layer's Backward in reverse and returns dL/dx, which is
// nil when the first layer skips its input gradient.
func (s Sequential) Backward(dy *Tensor) *Tensor {
	for i := len(s) - 1; i >= 0 && dy != nil; i-- {
		dy = s[i].Backward(dy)
	}
	return dy
}

// Params returns every layer's parameters in order (a new slice; call it
// once, not per step).
func (s Sequential) Params() []*Param {
	var ps []*Param
	for _, l := range s {
		ps = append(ps, l.Params()...)
	}
	return ps
}

// Buffers returns every stateful layer's buffers in order.
func (s Sequential) Buffers() []*Buffer {
	var bs []*Buffer
	for _, l := range s {
		if st, ok := l.(Stateful); ok {
			bs = append(bs, st.Buffers()...)
		}
	}
	return bs
}

// SkipInputGrad passes the request to the first layer when it can skip
// dL/dx; otherwise Backward still returns dL/dx.
func (s Sequential) SkipInputGrad(skip bool) {
	if len(s) > 0 {
		if sk, ok := s[0].(InputGradSkipper); ok {
			sk.SkipInputGrad(skip)
		}
	}
}
