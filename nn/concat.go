package nn

import "fmt"

// Concat joins the features of K consecutive rows: (N·K, D) → (N, K·D),
//
//	y[n, k·D + d] = x[n·K + k, d]
//
// which in row-major storage is the same data, so Forward and Backward are
// views (Backward reshapes dy to (N·K, D)). The jigsaw and relative-position
// heads use it to combine the trunk features of a sample's K tiles, which the
// trunk saw as K consecutive images of one batch.
type Concat struct {
	K int

	rows, d int
	out, dx Tensor
}

// NewConcat returns a layer that concatenates groups of k rows.
func NewConcat(k int) *Concat {
	if k <= 0 {
		panic(fmt.Sprintf("nn: NewConcat(%d): group size must be positive", k))
	}
	return &Concat{K: k}
}

// Params returns nil: Concat has no parameters.
func (l *Concat) Params() []*Param { return nil }

// Forward views x (N·K, D) as (N, K·D).
func (l *Concat) Forward(x *Tensor, train bool) *Tensor {
	rows, d := x.Dims2()
	if rows%l.K != 0 {
		panic(fmt.Sprintf("nn: Concat: %d rows do not split into groups of %d", rows, l.K))
	}
	l.rows, l.d = rows, d
	l.out.Shape = append(l.out.Shape[:0], rows/l.K, l.K*d)
	l.out.Data = x.Data
	return &l.out
}

// Backward views dy (N, K·D) as (N·K, D).
func (l *Concat) Backward(dy *Tensor) *Tensor {
	if n, kd := dy.Dims2(); n*l.K != l.rows || kd != l.K*l.d {
		panic(fmt.Sprintf("nn: Concat.Backward: dy has shape %v, want [%d %d]", dy.Shape, l.rows/l.K, l.K*l.d))
	}
	l.dx.Shape = append(l.dx.Shape[:0], l.rows, l.d)
	l.dx.Data = dy.Data
	return &l.dx
}
