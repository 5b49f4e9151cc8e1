package nn

import (
	"fmt"
	"math/rand/v2"
)

// Conv2D is a 2-D convolution with square kernels, PyTorch's nn.Conv2d:
//
//	y[n, o, oy, ox] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[n, c, oy·S−P+i, ox·S−P+j]
//
// with x zero outside the image; x is (N, C, H, W), y is (N, O, OH, OW) with
// OH = (H + 2P − K)/S + 1. Forward lowers each image to a column matrix
// (see im2col) so that y_n = W · col_n + b is one GEMM with W viewed as
// (O, C·K·K). Backward is three more:
//
//	dW += Σ_n dy_n · col_nᵀ,   db[o] += Σ dy[n, o, ·, ·],   dcol_n = Wᵀ · dy_n
//
// and dx_n = col2im(dcol_n).
//
// All images' columns sit side by side in one (C·K·K, N·OH·OW) matrix, so
// each product is a single large GEMM; dy and y are transposed between NCHW
// and (O, N·OH·OW) with contiguous row copies. Forward keeps the columns for
// Backward (N·C·K·K·OH·OW floats).
type Conv2D struct {
	InC, OutC, K, Stride, Pad int
	Weight                    *Param // (OutC, InC, K, K), OIHW
	Bias                      *Param // (OutC)

	skipDX bool

	n, h, w, oh, ow int
	col             []float32 // (C·K·K, N·OH·OW)
	ybuf            []float32 // (O, N·OH·OW): GEMM output, then dy transposed
	dcol            []float32 // (C·K·K, N·OH·OW)
	out, dx         *Tensor
	shape           [4]int
}

// NewConv2D returns a convolution from inC to outC channels with a k×k
// kernel, the given stride and zero padding, weights drawn with KaimingNormal
// from rng and zero bias.
func NewConv2D(inC, outC, k, stride, pad int, rng *rand.Rand) *Conv2D {
	if inC <= 0 || outC <= 0 || k <= 0 || stride <= 0 || pad < 0 {
		panic(fmt.Sprintf("nn: NewConv2D(%d, %d, k=%d, stride=%d, pad=%d): bad geometry", inC, outC, k, stride, pad))
	}
	l := &Conv2D{InC: inC, OutC: outC, K: k, Stride: stride, Pad: pad,
		Weight: NewParam("weight", outC, inC, k, k), Bias: NewParam("bias", outC)}
	l.Bias.NoDecay = true
	KaimingNormal(rng, l.Weight.Value, inC*k*k)
	return l
}

// OutSize is the spatial size of the output for an h×w input.
func (l *Conv2D) OutSize(h, w int) (oh, ow int) {
	return convOut(h, l.K, l.Stride, l.Pad), convOut(w, l.K, l.Stride, l.Pad)
}

// Params returns the weight and the bias.
func (l *Conv2D) Params() []*Param { return []*Param{l.Weight, l.Bias} }

// SkipInputGrad makes Backward skip dL/dx (the dcol GEMM and col2im) and
// return nil; a network's first layer never needs it.
func (l *Conv2D) SkipInputGrad(skip bool) { l.skipDX = skip }

// Forward computes y = W ⊛ x + b for x of shape (N, InC, H, W).
func (l *Conv2D) Forward(x *Tensor, train bool) *Tensor {
	n, c, h, w := x.Dims4()
	if c != l.InC {
		panic(fmt.Sprintf("nn: Conv2D: input has %d channels, want %d", c, l.InC))
	}
	oh, ow := l.OutSize(h, w)
	if oh <= 0 || ow <= 0 {
		panic(fmt.Sprintf("nn: Conv2D: input %dx%d too small for kernel %d, pad %d", h, w, l.K, l.Pad))
	}
	l.n, l.h, l.w, l.oh, l.ow = n, h, w, oh, ow
	ckk, q, o := c*l.K*l.K, oh*ow, l.OutC
	ld := n * q
	l.col = resize(l.col, ckk*ld)
	l.ybuf = resize(l.ybuf, o*ld)
	for i := range n {
		im2col(x.Data[i*c*h*w:(i+1)*c*h*w], c, h, w, l.K, l.Stride, l.Pad, l.col[i*q:], ld)
	}
	Sgemm(false, false, o, ld, ckk, 1, l.Weight.Value, ckk, l.col, ld, 0, l.ybuf, ld)

	l.shape = [4]int{n, o, oh, ow}
	l.out = Ensure(l.out, l.shape[:]...)
	// (O, N·Q) → (N, O, Q), adding the bias on the way.
	for oc := range o {
		b := l.Bias.Value[oc]
		src := l.ybuf[oc*ld : oc*ld+ld]
		for i := range n {
			s := src[i*q : i*q+q]
			d := l.out.Data[(i*o+oc)*q:]
			d = d[:len(s)]
			for t, v := range s {
				d[t] = v + b
			}
		}
	}
	return l.out
}

// Backward adds dL/dW and dL/db into the parameter gradients and returns
// dL/dx (nil when SkipInputGrad is set).
func (l *Conv2D) Backward(dy *Tensor) *Tensor {
	n, o, q := l.n, l.OutC, l.oh*l.ow
	if dn, dc, dh, dw := dy.Dims4(); dn != n || dc != o || dh != l.oh || dw != l.ow {
		panic(fmt.Sprintf("nn: Conv2D.Backward: dy has shape %v, want [%d %d %d %d]", dy.Shape, n, o, l.oh, l.ow))
	}
	c, ckk, ld := l.InC, l.InC*l.K*l.K, n*q
	// (N, O, Q) → (O, N·Q), summing db on the way.
	dyT := l.ybuf[:o*ld]
	for oc := range o {
		var sum float32
		dst := dyT[oc*ld : oc*ld+ld]
		for i := range n {
			s := dy.Data[(i*o+oc)*q : (i*o+oc)*q+q]
			copy(dst[i*q:], s)
			for _, v := range s {
				sum += v
			}
		}
		l.Bias.Grad[oc] += sum
	}
	Sgemm(false, true, o, ckk, ld, 1, dyT, ld, l.col, ld, 1, l.Weight.Grad, ckk)
	if l.skipDX {
		return nil
	}
	l.dcol = resize(l.dcol, ckk*ld)
	Sgemm(true, false, ckk, ld, o, 1, l.Weight.Value, ckk, dyT, ld, 0, l.dcol, ld)
	l.shape = [4]int{n, c, l.h, l.w}
	l.dx = Ensure(l.dx, l.shape[:]...)
	l.dx.Zero()
	chw := c * l.h * l.w
	for i := range n {
		col2im(l.dcol[i*q:], c, l.h, l.w, l.K, l.Stride, l.Pad, l.dx.Data[i*chw:(i+1)*chw], ld)
	}
	return l.dx
}

// resize returns buf resliced to n elements, reallocating only when it is too
// small. The contents are unspecified.
func resize(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
