//go:build !(goexperiment.simd && wasm)

package kernel

// gemmMove4 copies four floats (packing; a v128 move in the wasm SIMD build).
func gemmMove4(d, s *[4]float32) { *d = *s }
