package nn

import (
	"fmt"
	"math"
)

// BatchNorm2D normalises each channel of an NCHW batch, PyTorch's
// nn.BatchNorm2d (momentum 0.1, eps 1e-5, affine, tracking running stats).
// With m = N·H·W values per channel c:
//
//	train: μ = (1/m) Σ x,  σ² = (1/m) Σ (x − μ)²           (biased, used to normalise)
//	       running_mean ← (1 − momentum)·running_mean + momentum·μ
//	       running_var  ← (1 − momentum)·running_var  + momentum·σ²·m/(m − 1)   (unbiased)
//	eval:  μ = running_mean, σ² = running_var
//	x̂ = (x − μ) / √(σ² + eps),   y = γ·x̂ + β
//
// Backward (dγ += Σ dy·x̂, dβ += Σ dy) differentiates through the batch
// statistics in train mode:
//
//	dx = γ/√(σ² + eps) · (dy − (1/m) Σ dy − x̂·(1/m) Σ dy·x̂)
//
// and in eval mode, where μ and σ² are constants, dx = γ/√(σ² + eps) · dy.
type BatchNorm2D struct {
	C        int
	Momentum float64
	Eps      float64
	Weight   *Param // γ, (C), initialised to 1
	Bias     *Param // β, (C), initialised to 0

	RunningMean *Buffer // (C), initialised to 0
	RunningVar  *Buffer // (C), initialised to 1

	train   bool
	invStd  []float32 // (C): 1/√(σ² + eps) of the last Forward
	xhat    []float32 // x̂ of the last Forward
	out, dx *Tensor
}

// NewBatchNorm2D returns batch normalisation over c channels with PyTorch's
// defaults.
func NewBatchNorm2D(c int) *BatchNorm2D {
	if c <= 0 {
		panic(fmt.Sprintf("nn: NewBatchNorm2D(%d): channels must be positive", c))
	}
	l := &BatchNorm2D{C: c, Momentum: 0.1, Eps: 1e-5,
		Weight: NewParam("weight", c), Bias: NewParam("bias", c),
		RunningMean: &Buffer{Name: "running_mean", Shape: []int{c}, Value: make([]float32, c)},
		RunningVar:  &Buffer{Name: "running_var", Shape: []int{c}, Value: make([]float32, c)},
		invStd:      make([]float32, c),
	}
	l.Weight.NoDecay, l.Bias.NoDecay = true, true
	Fill(l.Weight.Value, 1)
	Fill(l.RunningVar.Value, 1)
	return l
}

// Params returns γ ("weight") and β ("bias").
func (l *BatchNorm2D) Params() []*Param { return []*Param{l.Weight, l.Bias} }

// Buffers returns the running statistics.
func (l *BatchNorm2D) Buffers() []*Buffer { return []*Buffer{l.RunningMean, l.RunningVar} }

// Forward normalises x (N, C, H, W) with batch statistics when train is set
// (updating the running statistics) and with the running statistics otherwise.
func (l *BatchNorm2D) Forward(x *Tensor, train bool) *Tensor {
	n, c, h, w := x.Dims4()
	if c != l.C {
		panic(fmt.Sprintf("nn: BatchNorm2D: input has %d channels, want %d", c, l.C))
	}
	hw := h * w
	m := n * hw
	if train && m < 2 {
		panic(fmt.Sprintf("nn: BatchNorm2D: training needs more than one value per channel, have shape %v", x.Shape))
	}
	l.train = train
	l.out = Ensure(l.out, x.Shape...)
	l.xhat = resize(l.xhat, len(x.Data))
	for ci := range c {
		var mean, variance float64
		if train {
			var s float64
			for i := range n {
				s += sum32(x.Data[(i*c+ci)*hw : (i*c+ci+1)*hw])
			}
			mean = s / float64(m)
			var ss float64
			for i := range n {
				ss += sumSqDev32(x.Data[(i*c+ci)*hw:(i*c+ci+1)*hw], float32(mean))
			}
			variance = ss / float64(m)
			mom := l.Momentum
			rm, rv := &l.RunningMean.Value[ci], &l.RunningVar.Value[ci]
			*rm = float32((1-mom)*float64(*rm) + mom*mean)
			*rv = float32((1-mom)*float64(*rv) + mom*variance*float64(m)/float64(m-1))
		} else {
			mean, variance = float64(l.RunningMean.Value[ci]), float64(l.RunningVar.Value[ci])
		}
		inv := float32(1 / math.Sqrt(variance+l.Eps))
		l.invStd[ci] = inv
		mu, g, b := float32(mean), l.Weight.Value[ci], l.Bias.Value[ci]
		for i := range n {
			off := (i*c + ci) * hw
			vecNormalize(l.out.Data[off:off+hw], l.xhat[off:off+hw], x.Data[off:off+hw], mu, inv, g, b)
		}
	}
	return l.out
}

// Backward adds dγ and dβ into the parameter gradients and returns dL/dx.
func (l *BatchNorm2D) Backward(dy *Tensor) *Tensor {
	n, c, h, w := dy.Dims4()
	if c != l.C || len(dy.Data) != len(l.xhat) {
		panic(fmt.Sprintf("nn: BatchNorm2D.Backward: dy has shape %v, forward had %v", dy.Shape, l.out.Shape))
	}
	hw := h * w
	m := float32(n * hw)
	l.dx = Ensure(l.dx, dy.Shape...)
	for ci := range c {
		var sdy, sdyx float64
		for i := range n {
			off := (i*c + ci) * hw
			a, b := sumDot32(dy.Data[off:off+hw], l.xhat[off:off+hw])
			sdy += a
			sdyx += b
		}
		l.Bias.Grad[ci] += float32(sdy)
		l.Weight.Grad[ci] += float32(sdyx)
		k := l.Weight.Value[ci] * l.invStd[ci]
		var mdy, mdyx float32 // means subtracted in train mode only
		if l.train {
			mdy, mdyx = float32(sdy)/m, float32(sdyx)/m
		}
		for i := range n {
			off := (i*c + ci) * hw
			vecNormBack(l.dx.Data[off:off+hw], dy.Data[off:off+hw], l.xhat[off:off+hw], k, mdy, mdyx)
		}
	}
	return l.dx
}
