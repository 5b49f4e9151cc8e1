package nn

// Flatten reshapes (N, d₁, d₂, …) to (N, d₁·d₂·…) without copying; Backward
// reshapes dy back to the input's shape. Its output and dx are views that
// share storage with x and dy.
type Flatten struct {
	inShape []int
	out, dx Tensor
}

// NewFlatten returns a flatten layer.
func NewFlatten() *Flatten { return &Flatten{} }

// Params returns nil: Flatten has no parameters.
func (l *Flatten) Params() []*Param { return nil }

// Forward returns x viewed as (N, prod of the other dimensions).
func (l *Flatten) Forward(x *Tensor, train bool) *Tensor {
	if len(x.Shape) < 1 {
		panic("nn: Flatten: input is a scalar")
	}
	l.inShape = append(l.inShape[:0], x.Shape...)
	n := x.Shape[0]
	d := 0
	if n > 0 {
		d = len(x.Data) / n
	}
	l.out.Shape = append(l.out.Shape[:0], n, d)
	l.out.Data = x.Data
	return &l.out
}

// Backward returns dy viewed in the shape of the last input.
func (l *Flatten) Backward(dy *Tensor) *Tensor {
	if len(dy.Data) != numel(l.inShape) {
		panic("nn: Flatten.Backward: dy does not match the last Forward")
	}
	l.dx.Shape = append(l.dx.Shape[:0], l.inShape...)
	l.dx.Data = dy.Data
	return &l.dx
}
