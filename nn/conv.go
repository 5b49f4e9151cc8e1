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
// OH = (H + 2P − K)/S + 1. Forward lowers each image to a column matrix col_n
// of shape (C·K·K, OH·OW) (see im2col), so that with W viewed as (O, C·K·K)
//
//	y_n = W · col_n + b
//
// is one GEMM whose (O, OH·OW) result is image n's slice of the NCHW output.
// Backward is two more GEMMs per image, plus the bias sum:
//
//	dW += Σ_n dy_n · col_nᵀ,   db[o] += Σ dy[n, o, ·, ·],   dx_n = col2im(Wᵀ · dy_n)
//
// One GEMM per image (rather than one over a (C·K·K, N·OH·OW) matrix of all
// images) needs no NCHW transposes, keeps each image's columns in cache
// between im2col and the GEMM, and needs a dcol scratch for one image only.
// At the reference net's shapes (batch 32) under wasm+SIMD it was faster in
// 7 of 9 forward/backward cases, by up to 30%, and never more than 13% slower
// (natively the two are within noise). W (forward) and Wᵀ (backward dx) are
// packed for the GEMM kernels once per call, not once per image (see
// gemmPackedA). Forward keeps all images' columns for Backward
// (N·C·K·K·OH·OW floats).
type Conv2D struct {
	InC, OutC, K, Stride, Pad int
	Weight                    *Param // (OutC, InC, K, K), OIHW
	Bias                      *Param // (OutC); nil without bias (see NoBias)

	skipDX bool

	n, h, w, oh, ow int
	col             []float32   // N blocks of (C·K·K, OH·OW)
	wPacked         gemmPackedA // W (forward) or Wᵀ (backward), packed once per call
	dcol            []float32   // (C·K·K, OH·OW), one image
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

// Params returns the weight and the bias (the weight alone after NoBias).
func (l *Conv2D) Params() []*Param {
	if l.Bias == nil {
		return []*Param{l.Weight}
	}
	return []*Param{l.Weight, l.Bias}
}

// NoBias removes the bias, as PyTorch's bias=False: a convolution followed by
// batch norm gains nothing from one, since the normalisation subtracts any
// per-channel constant (its gradient is identically zero).
func (l *Conv2D) NoBias() { l.Bias = nil }

// SkipInputGrad makes Backward skip dL/dx (the Wᵀ·dy GEMM and col2im) and
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
	ckk, q, o, chw := c*l.K*l.K, oh*ow, l.OutC, c*h*w
	l.col = resize(l.col, n*ckk*q)
	l.shape = [4]int{n, o, oh, ow}
	l.out = Ensure(l.out, l.shape[:]...)
	l.wPacked.pack(false, o, ckk, l.Weight.Value, ckk)
	for i := range n {
		col := l.col[i*ckk*q : (i+1)*ckk*q]
		im2col(x.Data[i*chw:(i+1)*chw], c, h, w, l.K, l.Stride, l.Pad, col, q)
		y := l.out.Data[i*o*q : (i+1)*o*q]
		beta := float32(0)
		if l.Bias != nil {
			for oc, b := range l.Bias.Value {
				Fill(y[oc*q:(oc+1)*q], b)
			}
			beta = 1
		}
		l.wPacked.gemm(false, q, 1, col, q, beta, y, q)
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
	c, ckk, chw := l.InC, l.InC*l.K*l.K, l.InC*l.h*l.w
	if l.Bias != nil {
		for oc := range o {
			var sum float64
			for i := range n {
				sum += sum32(dy.Data[(i*o+oc)*q : (i*o+oc+1)*q])
			}
			l.Bias.Grad[oc] += float32(sum)
		}
	}
	if !l.skipDX {
		l.dcol = resize(l.dcol, ckk*q)
		l.shape = [4]int{n, c, l.h, l.w}
		l.dx = Ensure(l.dx, l.shape[:]...)
		l.dx.Zero()
		l.wPacked.pack(true, ckk, o, l.Weight.Value, ckk)
	}
	for i := range n {
		g := dy.Data[i*o*q : (i+1)*o*q]
		Sgemm(false, true, o, ckk, q, 1, g, q, l.col[i*ckk*q:(i+1)*ckk*q], q, 1, l.Weight.Grad, ckk)
		if !l.skipDX {
			l.wPacked.gemm(false, q, 1, g, q, 0, l.dcol, q)
			col2im(l.dcol, c, l.h, l.w, l.K, l.Stride, l.Pad, l.dx.Data[i*chw:(i+1)*chw], q)
		}
	}
	if l.skipDX {
		return nil
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
