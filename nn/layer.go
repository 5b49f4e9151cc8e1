package nn

// Param is a trainable tensor with its gradient beside it.
// Name is the local PyTorch name ("weight", "bias"); the model prefixes it
// with the layer's path ("trunk.conv1.weight") when it saves a checkpoint.
// Layouts follow PyTorch: a conv weight is OIHW, a dense weight is (out, in).
type Param struct {
	Name    string
	Shape   []int
	Value   []float32
	Grad    []float32
	NoDecay bool // biases and batch-norm affine parameters skip weight decay
}

// NewParam allocates a zeroed parameter and its gradient.
func NewParam(name string, shape ...int) *Param {
	n := numel(shape)
	return &Param{Name: name, Shape: append([]int(nil), shape...), Value: make([]float32, n), Grad: make([]float32, n)}
}

// Buffer is non-trainable state that a checkpoint must keep, such as batch
// norm's running statistics ("running_mean", "running_var").
type Buffer struct {
	Name  string
	Shape []int
	Value []float32
}

// Layer is one differentiable step of a network.
//
// Forward computes y = f(x) for a batch and caches what Backward needs; train
// selects training behaviour (batch statistics in batch norm). The returned
// tensor is owned by the layer and is overwritten by the next Forward.
//
// Backward takes dL/dy for the most recent Forward, ADDS dL/dθ into each
// parameter's Grad (callers zero gradients between steps), and returns dL/dx,
// also owned by the layer.
type Layer interface {
	Forward(x *Tensor, train bool) *Tensor
	Backward(dy *Tensor) *Tensor
	Params() []*Param
}

// Stateful is implemented by layers with non-trainable state to checkpoint.
type Stateful interface {
	Buffers() []*Buffer
}

// InputGradSkipper is implemented by layers that can skip computing dL/dx
// (the first layer of a network never needs it). Backward then returns nil.
type InputGradSkipper interface {
	SkipInputGrad(skip bool)
}
