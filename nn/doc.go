// Package nn is the layers of Tessera's networks and what trains them, on
// float32 tensors in NCHW order (Tensor: flat Data plus an explicit Shape):
//
//   - layers (Layer: Forward, Backward, Params), each with its backward
//     beside its forward: Conv2D, BatchNorm2D, ReLU, MaxPool2D,
//     GlobalAvgPool, Dense, Flatten, Concat; Stack runs named layers in
//     order, and its names are the checkpoint keys;
//   - the model: a shared convolutional Trunk with a pluggable Head
//     (Model; NewReferenceNet is the benchmarked one), an EMA of its
//     weights, and the data-parallel helpers (dataparallel.go,
//     SyncBatchNorm);
//   - the loss (SoftmaxCrossEntropy), optimizers (SGD, Adam with decoupled
//     weight decay) and the learning-rate schedule (WarmupCosine);
//   - checkpoints in the safetensors format.
//
// The arithmetic below the layers (GEMM, im2col, the SIMD elementwise loops)
// is package nn/kernel, on flat []float32 with explicit shapes; nn/nntest
// checks any layer's gradients numerically.
package nn
