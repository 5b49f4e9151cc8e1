//go:build !(goexperiment.simd && wasm)

package kernel

// MaxPool2x2 is the 2×2, stride-2 max pool of one plane (rows w apart) into
// y (oh×ow), with the flat index of each maximum (base + its offset in
// plane) in idx:
//
//	y[oy·ow + ox] = max_{i,j < 2} plane[(2·oy + i)·w + 2·ox + j]
//
// keeping the first maximum in row-major order on ties (pool2x2Scalar's rule).
// Builds without WebAssembly SIMD run pool2x2Scalar.
func MaxPool2x2(plane []float32, w, oh, ow, base int, y []float32, idx []int32) {
	pool2x2Scalar(plane, w, oh, ow, base, y, idx)
}
