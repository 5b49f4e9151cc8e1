//go:build !(goexperiment.simd && wasm)

package nn

// gatherTaps8x4 sets d[p·8 + u] = xp[b + o[u] + p] for p < 4, u < 8: four
// neighbouring pixels of eight taps, transposed (im2colPackedT).
func gatherTaps8x4(d *[32]float32, xp []float32, b int, o *[8]int) {
	for u, off := range o {
		s := (*[4]float32)(xp[b+off : b+off+4])
		d[u], d[8+u], d[16+u], d[24+u] = s[0], s[1], s[2], s[3]
	}
}
