//go:build !(goexperiment.simd && wasm)

package kernel

// gatherTaps8 sets d[p·8 + u] = xp[b + o[u] + p] for p < n, u < 8: n
// neighbouring pixels of eight taps, transposed (Im2colPackedT).
func gatherTaps8(d []float32, xp []float32, b int, o *[8]int, n int) {
	d = d[:8*n]
	for u, off := range o {
		s := xp[b+off : b+off+n]
		for p, v := range s {
			d[8*p+u] = v
		}
	}
}

// packRows4 sets d[p·4 + r] = a[r·lda + p] for r < 4, p < kb: four rows of
// A interleaved into one mr = 4 panel (gemmPackA's layout).
func packRows4(d, a []float32, lda, kb int) {
	d = d[:4*kb]
	for r := range 4 {
		for p, v := range a[r*lda : r*lda+kb] {
			d[4*p+r] = v
		}
	}
}
