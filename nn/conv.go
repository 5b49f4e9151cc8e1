package nn

import (
	"fmt"
	"math/rand/v2"

	"github.com/tessera-ssl/tessera/nn/kernel"
)

// Conv2D is a 2-D convolution with square kernels, PyTorch's nn.Conv2d:
//
//	y[n, o, oy, ox] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[n, c, oy·S−P+i, ox·S−P+j]
//
// with x zero outside the image; x is (N, C, H, W), y is (N, O, OH, OW) with
// OH = (H + 2P − K)/S + 1. Forward lowers each image to a column matrix col_n
// of shape (C·K·K, OH·OW) (see kernel.Im2col), so that with W viewed as (O, C·K·K)
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
// kernel.PackedA). With a blocked kernel family (wasm SIMD) Forward lowers each
// image straight into the kernel's panel layout with the bias as an extra
// row of ones (kernel.Im2colPacked), so no column matrix is written. Forward keeps
// a copy of x (C·H·W floats per image, 1/(K·K) of the columns; with its zero
// border when the stride is 1 on that path) and Backward lowers each image
// again, into a one-image buffer that stays in cache or, for dW, straight
// into the GEMM's panels (kernel.Im2colPackedT): storing all images' columns
// (4.7 MB at the reference net's conv2) made Forward and Backward
// memory-bound. For "same" convolutions dL/dx is a convolution of dy with
// the flipped weight (packFlipped), through the same fused forward path.
type Conv2D struct {
	InC, OutC, K, Stride, Pad int
	Weight                    *Param // (OutC, InC, K, K), OIHW
	Bias                      *Param // (OutC); nil without bias (see NoBias)

	skipDX bool

	n, h, w, oh, ow int
	x               []float32      // copy of the last input, (N, C, H, W)
	xp              []float32      // or, stride 1 on a blocked kernel, the input with its zero border
	col             []float32      // one image's columns: (C·K·K, OH·OW), or packed panels
	wPacked         kernel.PackedA // W (forward) or Wᵀ (backward), packed once per call
	wb, wbPacked    []float32      // [W | b], (O, C·K·K+1), and its packed panels
	tile            []float32      // the macro-kernel's edge tile
	xpad            []float32      // one image with a zero border (kernel.Im2colPacked)
	offs            []int32        // tap offsets into one image of xp (kernel.Im2colPackedT)
	dyPacked        []float32      // a block of dy packed for the dW GEMM
	dcol            []float32      // (C·K·K, OH·OW), one image; or dy's packed panels
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
	return kernel.ConvOut(h, l.K, l.Stride, l.Pad), kernel.ConvOut(w, l.K, l.Stride, l.Pad)
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
	l.shape = [4]int{n, o, oh, ow}
	l.out = Ensure(l.out, l.shape[:]...)
	if kern := kernel.Blocked(); kern != nil {
		l.forwardPacked(kern, x.Data)
		return l.out
	}
	l.x = resize(l.x, len(x.Data))
	copy(l.x, x.Data)
	l.col = resize(l.col, ckk*q)
	l.wPacked.Pack(false, o, ckk, l.Weight.Value, ckk)
	for i := range n {
		kernel.Im2col(x.Data[i*chw:(i+1)*chw], c, h, w, l.K, l.Stride, l.Pad, l.col, q)
		y := l.out.Data[i*o*q : (i+1)*o*q]
		beta := float32(0)
		if l.Bias != nil {
			for oc, b := range l.Bias.Value {
				Fill(y[oc*q:(oc+1)*q], b)
			}
			beta = 1
		}
		l.wPacked.Gemm(false, q, 1, l.col, q, beta, y, q)
	}
	return l.out
}

// forwardPacked is Forward on a blocked kernel family: A = [W | b] (O ×
// C·K·K+1) is packed once, each image is lowered straight into B panels with
// a ones row (kernel.Im2colPacked), and the macro-kernel writes y_n = [W | b]·[col_n; 1]
// over the whole depth (no bias pre-fill, no column matrix in memory).
func (l *Conv2D) forwardPacked(kern *kernel.Family, x []float32) {
	n, c, h, w, o := l.n, l.InC, l.h, l.w, l.OutC
	ckk, q, chw := c*l.K*l.K, l.oh*l.ow, c*h*w
	// Backward reads the input again: padded for stride 1 (addDW), as is.
	cpp := c * (h + 2*l.Pad) * (w + 2*l.Pad)
	if l.Stride == 1 {
		l.xp = resize(l.xp, n*cpp)
		for i := range n {
			kernel.PadImage(l.xp[i*cpp:(i+1)*cpp], x[i*chw:(i+1)*chw], c, h, w, l.Pad)
		}
	} else {
		l.x = resize(l.x, len(x))
		copy(l.x, x)
	}
	bias := l.Bias != nil
	kd := ckk
	if bias {
		kd++
	}
	l.wb = resize(l.wb, o*kd)
	for oc := range o {
		copy(l.wb[oc*kd:oc*kd+ckk], l.Weight.Value[oc*ckk:(oc+1)*ckk])
		if bias {
			l.wb[oc*kd+ckk] = l.Bias.Value[oc]
		}
	}
	l.wbPacked = resize(l.wbPacked, kern.PackedALen(o, kd))
	kern.PackA(l.wbPacked, false, l.wb, kd, 0, 0, o, kd)
	l.col = resize(l.col, kern.PackedBLen(kd, q))
	l.tile = resize(l.tile, kern.TileLen())
	for i := range n {
		var xp []float32
		if l.Stride == 1 {
			xp = l.xp[i*cpp : (i+1)*cpp]
		}
		l.xpad = kernel.Im2colPacked(kern, x[i*chw:(i+1)*chw], xp, c, h, w, l.K, l.Stride, l.Pad, bias, l.col, l.xpad)
		kern.Multiply(l.wbPacked, l.col, l.tile, o, q, kd, 1, 0, l.out.Data[i*o*q:(i+1)*o*q], q)
	}
}

// Backward adds dL/dW and dL/db into the parameter gradients and returns
// dL/dx (nil when SkipInputGrad is set). It lowers each image again from the
// copy of x that Forward kept.
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
				sum += kernel.Sum(dy.Data[(i*o+oc)*q : (i*o+oc+1)*q])
			}
			l.Bias.Grad[oc] += float32(sum)
		}
	}
	kern := kernel.Blocked()
	flipped := kern != nil && l.Stride == 1 && l.K == 2*l.Pad+1
	if !l.skipDX {
		l.shape = [4]int{n, c, l.h, l.w}
		l.dx = Ensure(l.dx, l.shape[:]...)
		if flipped {
			l.packFlipped(kern)
		} else {
			l.dcol = resize(l.dcol, ckk*q)
			l.dx.Zero()
			l.wPacked.Pack(true, ckk, o, l.Weight.Value, ckk)
		}
	}
	fusedDW := kern != nil && l.Stride == 1
	if fusedDW {
		l.prepareDW(kern)
	} else {
		l.col = resize(l.col, ckk*q)
	}
	for i := range n {
		g := dy.Data[i*o*q : (i+1)*o*q]
		if fusedDW {
			cpp := c * (l.h + 2*l.Pad) * (l.w + 2*l.Pad)
			l.addDW(kern, l.xp[i*cpp:(i+1)*cpp], g)
		} else {
			kernel.Im2col(l.x[i*chw:(i+1)*chw], c, l.h, l.w, l.K, l.Stride, l.Pad, l.col, q)
			kernel.Sgemm(false, true, o, ckk, q, 1, g, q, l.col, q, 1, l.Weight.Grad, ckk)
		}
		switch {
		case l.skipDX:
		case flipped:
			dx := l.dx.Data[i*chw : (i+1)*chw]
			l.xpad = kernel.Im2colPacked(kern, g, nil, o, l.oh, l.ow, l.K, 1, l.Pad, false, l.dcol, l.xpad)
			kern.Multiply(l.wbPacked, l.dcol, l.tile, c, q, o*l.K*l.K, 1, 0, dx, q)
		default:
			l.wPacked.Gemm(false, q, 1, g, q, 0, l.dcol, q)
			kernel.Col2im(l.dcol, c, l.h, l.w, l.K, l.Stride, l.Pad, l.dx.Data[i*chw:(i+1)*chw], q)
		}
	}
	if l.skipDX {
		return nil
	}
	return l.dx
}

// prepareDW sizes the buffers of addDW: the tap offsets, dy blocks (A) in
// l.dyPacked, column panels (B) in l.col and the edge tile.
func (l *Conv2D) prepareDW(kern *kernel.Family) {
	ckk, kc := l.InC*l.K*l.K, min(l.oh*l.ow, kernel.BlockK)
	l.offs = kernel.TapOffsets(l.offs, l.InC, l.K, l.h+2*l.Pad, l.w+2*l.Pad)
	l.col = resize(l.col, kern.PackedBLen(kc, ckk))
	l.dyPacked = resize(l.dyPacked, kern.PackedALen(l.OutC, kc))
	l.tile = resize(l.tile, kern.TileLen())
}

// addDW adds one image's dW += dy_n · col_nᵀ (stride 1, blocked kernel; xp is
// the image with its zero border, kept by Forward): for
// each block of kernel.BlockK output pixels it packs dy's columns (A;
// PackARows transposes four rows at a time) and lowers the
// zero-bordered image straight into colᵀ panels (kernel.Im2colPackedT, B),
// so the column matrix is neither written by im2col nor transposed by the
// GEMM's packing.
func (l *Conv2D) addDW(kern *kernel.Family, xp, g []float32) {
	o, ckk, q := l.OutC, l.InC*l.K*l.K, l.oh*l.ow
	for pc := 0; pc < q; pc += kernel.BlockK {
		kb := min(kernel.BlockK, q-pc)
		kernel.Im2colPackedT(kern, xp, l.w+2*l.Pad, l.ow, l.offs, pc, kb, l.col)
		kern.PackARows(l.dyPacked, g[pc:], q, o, kb)
		kern.Multiply(l.dyPacked, l.col, l.tile, o, ckk, kb, 1, 1, l.Weight.Grad, ckk)
	}
}

// packFlipped prepares dL/dx of a "same" convolution (stride 1, K = 2P+1)
// as a convolution of dy:
//
//	dx[c, y, x] = Σ_{o,i,j} W'[c, o, i, j] · dy[o, y−P+i, x−P+j],   W'[c, o, i, j] = W[o, c, K−1−i, K−1−j]
//
// (substitute i → K−1−i in dx[c, y, x] = Σ W[o, c, i, j]·dy[o, y+P−i, x+P−j]),
// so Backward runs the forward's fused lowering on dy (kernel.Im2colPacked,
// O channels) and one deep GEMM per image, writing dx directly: no dcol
// matrix, no col2im scatter-add, no clearing of dx. It packs W' (C × O·K·K)
// into A panels in l.wbPacked and sizes the B panels (l.dcol) and the tile.
func (l *Conv2D) packFlipped(kern *kernel.Family) {
	c, o, k, q := l.InC, l.OutC, l.K, l.oh*l.ow
	kk := k * k
	okk := o * kk
	l.wb = resize(l.wb, c*okk)
	for oc := range o {
		for ci := range c {
			src := l.Weight.Value[(oc*c+ci)*kk : (oc*c+ci+1)*kk]
			dst := l.wb[ci*okk+oc*kk : ci*okk+(oc+1)*kk]
			for t, v := range src {
				dst[kk-1-t] = v // (i, j) → (K−1−i, K−1−j) reverses the K·K taps
			}
		}
	}
	l.wbPacked = resize(l.wbPacked, kern.PackedALen(c, okk))
	kern.PackA(l.wbPacked, false, l.wb, okk, 0, 0, c, okk)
	l.dcol = resize(l.dcol, kern.PackedBLen(okk, q))
	l.tile = resize(l.tile, kern.TileLen())
}

// resize returns buf resliced to n elements, reallocating only when it is too
// small. The contents are unspecified.
func resize(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
