package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/tessera-ssl/tessera/nn/kernel"
)

// Dense is a fully connected layer, PyTorch's nn.Linear:
//
//	y = x · Wᵀ + b,   x (N, In), W (Out, In), b (Out), y (N, Out)
//
// Backward: dW += dyᵀ · x, db += Σ_n dy[n, ·], dx = dy · W.
// Forward copies x, so the caller may reuse its buffer before Backward.
type Dense struct {
	In, Out int
	Weight  *Param // (Out, In)
	Bias    *Param // (Out)

	skipDX  bool
	x       []float32 // copy of the last input
	n       int
	out, dx *Tensor
	shape   [2]int
}

// NewDense returns a dense layer from in to out features with KaimingNormal
// weights drawn from rng and zero bias.
func NewDense(in, out int, rng *rand.Rand) *Dense {
	if in <= 0 || out <= 0 {
		panic(fmt.Sprintf("nn: NewDense(%d, %d): sizes must be positive", in, out))
	}
	l := &Dense{In: in, Out: out, Weight: NewParam("weight", out, in), Bias: NewParam("bias", out)}
	l.Bias.NoDecay = true
	KaimingNormal(rng, l.Weight.Value, in)
	return l
}

// Params returns the weight and the bias.
func (l *Dense) Params() []*Param { return []*Param{l.Weight, l.Bias} }

// SkipInputGrad makes Backward skip dL/dx and return nil (a linear probe on
// frozen features needs no input gradient).
func (l *Dense) SkipInputGrad(skip bool) { l.skipDX = skip }

// Forward computes y = x·Wᵀ + b for x of shape (N, In).
func (l *Dense) Forward(x *Tensor, train bool) *Tensor {
	n, d := x.Dims2()
	if d != l.In {
		panic(fmt.Sprintf("nn: Dense: input has %d features, want %d", d, l.In))
	}
	l.n = n
	l.x = resize(l.x, len(x.Data))
	copy(l.x, x.Data)
	l.shape = [2]int{n, l.Out}
	l.out = Ensure(l.out, l.shape[:]...)
	for i := range n {
		copy(l.out.Data[i*l.Out:(i+1)*l.Out], l.Bias.Value)
	}
	kernel.Sgemm(false, true, n, l.Out, l.In, 1, l.x, l.In, l.Weight.Value, l.In, 1, l.out.Data, l.Out)
	return l.out
}

// Backward adds dW and db into the parameter gradients and returns dL/dx
// (nil when SkipInputGrad is set).
func (l *Dense) Backward(dy *Tensor) *Tensor {
	if n, d := dy.Dims2(); n != l.n || d != l.Out {
		panic(fmt.Sprintf("nn: Dense.Backward: dy has shape %v, want [%d %d]", dy.Shape, l.n, l.Out))
	}
	for i := range l.n {
		row := dy.Data[i*l.Out : (i+1)*l.Out]
		g := l.Bias.Grad[:len(row)]
		for j, v := range row {
			g[j] += v
		}
	}
	kernel.Sgemm(true, false, l.Out, l.In, l.n, 1, dy.Data, l.Out, l.x, l.In, 1, l.Weight.Grad, l.In)
	if l.skipDX {
		return nil
	}
	l.shape = [2]int{l.n, l.In}
	l.dx = Ensure(l.dx, l.shape[:]...)
	kernel.Sgemm(false, false, l.n, l.In, l.Out, 1, dy.Data, l.Out, l.Weight.Value, l.In, 0, l.dx.Data, l.In)
	return l.dx
}
