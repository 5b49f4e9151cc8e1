//go:build goexperiment.simd && wasm

package kernel

import "simd/archsimd"

// gemmMove4 copies four floats with one v128 load and store (packing).
func gemmMove4(d, s *[4]float32) { archsimd.LoadFloat32x4Array(s).StoreArray(d) }
