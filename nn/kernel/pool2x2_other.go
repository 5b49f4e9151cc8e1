//go:build !(goexperiment.simd && wasm)

package kernel

// MaxPool2x2 is pool2x2Scalar in builds without WebAssembly SIMD.
func MaxPool2x2(plane []float32, w, oh, ow, base int, y []float32, idx []int32) {
	pool2x2Scalar(plane, w, oh, ow, base, y, idx)
}
