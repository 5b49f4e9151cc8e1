package nn

// ReLU is the rectifier y = max(x, 0), elementwise on a tensor of any shape.
// Its derivative is 1 where x > 0 and 0 elsewhere (0 at the kink, as in
// PyTorch), so Backward reads the mask from the cached output: dx = dy·[y > 0].
type ReLU struct {
	out, dx *Tensor
}

// NewReLU returns a ReLU layer.
func NewReLU() *ReLU { return &ReLU{} }

// Params returns nil: ReLU has no parameters.
func (l *ReLU) Params() []*Param { return nil }

// Forward computes y = max(x, 0).
func (l *ReLU) Forward(x *Tensor, train bool) *Tensor {
	l.out = Ensure(l.out, x.Shape...)
	y := l.out.Data[:len(x.Data)]
	for i, v := range x.Data {
		y[i] = max(v, 0)
	}
	return l.out
}

// Backward returns dx = dy where the forward output was positive, else 0.
func (l *ReLU) Backward(dy *Tensor) *Tensor {
	if l.out == nil || len(dy.Data) != len(l.out.Data) {
		panic("nn: ReLU.Backward: dy does not match the last Forward")
	}
	l.dx = Ensure(l.dx, dy.Shape...)
	y := l.out.Data[:len(dy.Data)]
	dx := l.dx.Data[:len(dy.Data)]
	for i, g := range dy.Data {
		if y[i] > 0 {
			dx[i] = g
		} else {
			dx[i] = 0
		}
	}
	return l.dx
}
