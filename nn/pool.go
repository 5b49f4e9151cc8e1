package nn

import (
	"fmt"

	"github.com/tessera-ssl/tessera/nn/kernel"
)

// MaxPool2D takes the maximum over k×k windows moved by stride over each
// channel, PyTorch's nn.MaxPool2d(k, stride) without padding:
//
//	y[n, c, oy, ox] = max_{i,j < k} x[n, c, oy·S + i, ox·S + j]
//
// with OH = ⌊(H − k)/S⌋ + 1 (trailing rows and columns that do not fill a
// window are dropped, as in PyTorch). Forward records the flat input index of
// each window's maximum (the first one on ties); Backward routes dy there:
// dx[argmax] += dy.
type MaxPool2D struct {
	K, Stride int

	argmax  []int32 // flat index into x for each output element
	inShape []int
	out, dx *Tensor
	shape   [4]int
}

// NewMaxPool2D returns a k×k max pooling with the given stride.
func NewMaxPool2D(k, stride int) *MaxPool2D {
	if k <= 0 || stride <= 0 {
		panic(fmt.Sprintf("nn: NewMaxPool2D(%d, %d): window and stride must be positive", k, stride))
	}
	return &MaxPool2D{K: k, Stride: stride}
}

// Params returns nil: pooling has no parameters.
func (l *MaxPool2D) Params() []*Param { return nil }

// OutSize is the spatial size of the output for an h×w input.
func (l *MaxPool2D) OutSize(h, w int) (oh, ow int) {
	return (h-l.K)/l.Stride + 1, (w-l.K)/l.Stride + 1
}

// Forward pools x (N, C, H, W) to (N, C, OH, OW).
func (l *MaxPool2D) Forward(x *Tensor, train bool) *Tensor {
	n, c, h, w := x.Dims4()
	if h < l.K || w < l.K {
		panic(fmt.Sprintf("nn: MaxPool2D: input %dx%d smaller than window %d", h, w, l.K))
	}
	if len(x.Data) > 1<<31-1 {
		panic("nn: MaxPool2D: input too large for int32 indices")
	}
	oh, ow := l.OutSize(h, w)
	l.inShape = append(l.inShape[:0], x.Shape...)
	l.shape = [4]int{n, c, oh, ow}
	l.out = Ensure(l.out, l.shape[:]...)
	if cap(l.argmax) < len(l.out.Data) {
		l.argmax = make([]int32, len(l.out.Data))
	}
	l.argmax = l.argmax[:len(l.out.Data)]
	k, s := l.K, l.Stride
	for p := range n * c {
		base := p * h * w
		plane := x.Data[base : base+h*w]
		y := l.out.Data[p*oh*ow : (p+1)*oh*ow]
		idx := l.argmax[p*oh*ow : (p+1)*oh*ow]
		if k == 2 && s == 2 {
			kernel.MaxPool2x2(plane, w, oh, ow, base, y, idx)
			continue
		}
		for oy := range oh {
			for ox := range ow {
				at := oy*s*w + ox*s
				best := plane[at]
				for i := range k {
					row := plane[(oy*s+i)*w+ox*s:][:k]
					for j, v := range row {
						if v > best {
							best, at = v, (oy*s+i)*w+ox*s+j
						}
					}
				}
				y[oy*ow+ox] = best
				idx[oy*ow+ox] = int32(base + at)
			}
		}
	}
	return l.out
}

// Backward returns dx with each dy added at its window's maximum.
func (l *MaxPool2D) Backward(dy *Tensor) *Tensor {
	if len(dy.Data) != len(l.argmax) {
		panic(fmt.Sprintf("nn: MaxPool2D.Backward: dy has shape %v, want %v", dy.Shape, l.out.Shape))
	}
	l.dx = Ensure(l.dx, l.inShape...)
	l.dx.Zero()
	dx := l.dx.Data
	idx := l.argmax[:len(dy.Data)]
	for i, g := range dy.Data {
		dx[idx[i]] += g
	}
	return l.dx
}

// GlobalAvgPool averages each channel over its whole plane:
// (N, C, H, W) → (N, C), y[n, c] = (1/HW) Σ_{h,w} x[n, c, h, w],
// and Backward spreads dy evenly: dx[n, c, h, w] = dy[n, c] / HW.
type GlobalAvgPool struct {
	inShape []int
	out, dx *Tensor
	shape   [2]int
}

// NewGlobalAvgPool returns a global average pooling layer.
func NewGlobalAvgPool() *GlobalAvgPool { return &GlobalAvgPool{} }

// Params returns nil: pooling has no parameters.
func (l *GlobalAvgPool) Params() []*Param { return nil }

// Forward averages x (N, C, H, W) to (N, C).
func (l *GlobalAvgPool) Forward(x *Tensor, train bool) *Tensor {
	n, c, h, w := x.Dims4()
	hw := h * w
	l.inShape = append(l.inShape[:0], x.Shape...)
	l.shape = [2]int{n, c}
	l.out = Ensure(l.out, l.shape[:]...)
	inv := 1 / float64(hw)
	for p := range n * c {
		l.out.Data[p] = float32(kernel.Sum(x.Data[p*hw:p*hw+hw]) * inv)
	}
	return l.out
}

// Backward returns dx[n, c, ·, ·] = dy[n, c] / HW.
func (l *GlobalAvgPool) Backward(dy *Tensor) *Tensor {
	if len(l.inShape) != 4 || len(dy.Data) != l.inShape[0]*l.inShape[1] {
		panic(fmt.Sprintf("nn: GlobalAvgPool.Backward: dy has shape %v, forward input was %v", dy.Shape, l.inShape))
	}
	l.dx = Ensure(l.dx, l.inShape...)
	hw := l.inShape[2] * l.inShape[3]
	inv := 1 / float32(hw)
	for p, g := range dy.Data {
		d := l.dx.Data[p*hw : p*hw+hw]
		v := g * inv
		for i := range d {
			d[i] = v
		}
	}
	return l.dx
}
