package nn

import "github.com/tessera-ssl/tessera/nn/kernel"

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
	kernel.ReLU(l.out.Data, x.Data)
	return l.out
}

// Backward returns dx = dy where the forward output was positive, else 0.
func (l *ReLU) Backward(dy *Tensor) *Tensor {
	if l.out == nil || len(dy.Data) != len(l.out.Data) {
		panic("nn: ReLU.Backward: dy does not match the last Forward")
	}
	l.dx = Ensure(l.dx, dy.Shape...)
	kernel.ReLUBack(l.dx.Data, dy.Data, l.out.Data)
	return l.dx
}
