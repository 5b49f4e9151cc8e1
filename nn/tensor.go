package nn

import "fmt"

// Tensor is a dense float32 array in row-major order with an explicit shape.
// Images are NCHW: batch, channels, height, width. A Tensor owns no hidden
// state: Shape and Data are all there is, and Data has exactly Len() elements.
type Tensor struct {
	Shape []int
	Data  []float32
}

// NewTensor returns a zeroed tensor of the given shape.
func NewTensor(shape ...int) *Tensor {
	return &Tensor{Shape: append([]int(nil), shape...), Data: make([]float32, numel(shape))}
}

// FromData wraps data (not copied) in a tensor of the given shape.
// It panics if len(data) does not match the shape.
func FromData(data []float32, shape ...int) *Tensor {
	if len(data) != numel(shape) {
		panic(fmt.Sprintf("nn: FromData: %d values for shape %v", len(data), shape))
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: data}
}

// Len is the number of elements, the product of the shape.
func (t *Tensor) Len() int { return numel(t.Shape) }

// Dims4 returns the four dimensions of an NCHW tensor; it panics on any other rank.
func (t *Tensor) Dims4() (n, c, h, w int) {
	if len(t.Shape) != 4 {
		panic(fmt.Sprintf("nn: want a 4-D NCHW tensor, have shape %v", t.Shape))
	}
	return t.Shape[0], t.Shape[1], t.Shape[2], t.Shape[3]
}

// Dims2 returns the two dimensions of an (N, D) tensor; it panics on any other rank.
func (t *Tensor) Dims2() (n, d int) {
	if len(t.Shape) != 2 {
		panic(fmt.Sprintf("nn: want a 2-D tensor, have shape %v", t.Shape))
	}
	return t.Shape[0], t.Shape[1]
}

// Reshape returns a view of t with a new shape and the same data.
// It panics if the element count changes.
func (t *Tensor) Reshape(shape ...int) *Tensor {
	if numel(shape) != len(t.Data) {
		panic(fmt.Sprintf("nn: cannot reshape %v to %v", t.Shape, shape))
	}
	return &Tensor{Shape: append([]int(nil), shape...), Data: t.Data}
}

// Ensure returns a tensor of the given shape, reusing t's storage when it is
// large enough (the contents are then unspecified). Layers use it to keep
// their output buffers across steps, so a steady-state step allocates nothing.
// t may be nil.
func Ensure(t *Tensor, shape ...int) *Tensor {
	n := numel(shape)
	if t == nil {
		return NewTensor(shape...)
	}
	if cap(t.Data) < n {
		t.Data = make([]float32, n)
	}
	t.Data = t.Data[:n]
	if !sameShape(t.Shape, shape) {
		t.Shape = append(t.Shape[:0], shape...)
	}
	return t
}

// Zero sets every element to 0.
func (t *Tensor) Zero() { clear(t.Data) }

// Clone returns a deep copy.
func (t *Tensor) Clone() *Tensor {
	return &Tensor{Shape: append([]int(nil), t.Shape...), Data: append([]float32(nil), t.Data...)}
}

func numel(shape []int) int {
	n := 1
	for _, d := range shape {
		if d < 0 {
			// Copy: formatting shape itself would make every caller's
			// variadic shape slice escape, so Ensure would allocate.
			panic(fmt.Sprintf("nn: negative dimension in shape %v", append([]int(nil), shape...)))
		}
		n *= d
	}
	return n
}

func sameShape(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
