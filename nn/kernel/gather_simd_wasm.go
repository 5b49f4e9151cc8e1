//go:build goexperiment.simd && wasm

package kernel

import "simd/archsimd"

// gatherTaps8 sets d[p·8 + u] = xp[b + o[u] + p] for p < n, u < 8: n
// neighbouring pixels of eight taps, transposed (Im2colPackedT). Groups of
// four pixels go through gatherTaps8x4; one call handles a whole run, as a
// call per group cost as much as the group (Go's wasm calls pass arguments
// through memory).
func gatherTaps8(d []float32, xp []float32, b int, o *[8]int, n int) {
	d = d[:8*n]
	p := 0
	for ; p+4 <= n; p += 4 {
		gatherTaps8x4((*[32]float32)(d[8*p:8*p+32]), xp, b+p, o)
	}
	for ; p < n; p++ {
		q := (*[8]float32)(d[8*p : 8*p+8])
		for u, off := range o {
			q[u] = xp[b+p+off]
		}
	}
}

// gatherTaps8x4 sets d[p·8 + u] = xp[b + o[u] + p] for p < 4, u < 8: four
// neighbouring pixels of eight taps, transposed. Each tap's four pixels are
// one v128 load; two 4×4 transposes (transpose4) turn them into per-pixel
// vectors of taps, where scalar code spent an address computation on each
// of the 32 loads.
func gatherTaps8x4(d *[32]float32, xp []float32, b int, o *[8]int) {
	w0, w1, w2, w3 := transpose4(ld4(xp[b+o[0]:][:4]), ld4(xp[b+o[1]:][:4]), ld4(xp[b+o[2]:][:4]), ld4(xp[b+o[3]:][:4]))
	st4(w0, d[0:4])
	st4(w1, d[8:12])
	st4(w2, d[16:20])
	st4(w3, d[24:28])
	w0, w1, w2, w3 = transpose4(ld4(xp[b+o[4]:][:4]), ld4(xp[b+o[5]:][:4]), ld4(xp[b+o[6]:][:4]), ld4(xp[b+o[7]:][:4]))
	st4(w0, d[4:8])
	st4(w1, d[12:16])
	st4(w2, d[20:24])
	st4(w3, d[28:32])
}

// transpose4 returns the columns of the 4×4 matrix with rows v0..v3:
// w_p = (v0[p], v1[p], v2[p], v3[p]). Wasm SIMD in archsimd has no lane
// shuffles, so it interleaves 32-bit halves of 64-bit lanes with shifts and
// masks, then swaps 64-bit lanes with one extract and one replace each.
func transpose4(v0, v1, v2, v3 archsimd.Float32x4) (w0, w1, w2, w3 archsimd.Float32x4) {
	lo := archsimd.BroadcastUint64x2(0xFFFFFFFF)
	u0, u1 := v0.ToBits().ReshapeToUint64s(), v1.ToBits().ReshapeToUint64s()
	u2, u3 := v2.ToBits().ReshapeToUint64s(), v3.ToBits().ReshapeToUint64s()
	t0 := u0.And(lo).Or(u1.ShiftAllLeft(32))     // v0[0] v1[0] | v0[2] v1[2]
	t1 := u0.ShiftAllRight(32).Or(u1.AndNot(lo)) // v0[1] v1[1] | v0[3] v1[3]
	t2 := u2.And(lo).Or(u3.ShiftAllLeft(32))     // v2[0] v3[0] | v2[2] v3[2]
	t3 := u2.ShiftAllRight(32).Or(u3.AndNot(lo)) // v2[1] v3[1] | v2[3] v3[3]
	f := func(u archsimd.Uint64x2) archsimd.Float32x4 { return u.ReshapeToUint32s().BitsToFloat32() }
	return f(t0.SetElem(1, t2.GetElem(0))), f(t1.SetElem(1, t3.GetElem(0))),
		f(t2.SetElem(0, t0.GetElem(1))), f(t3.SetElem(0, t1.GetElem(1)))
}

// packRows4 sets d[p·4 + r] = a[r·lda + p] for r < 4, p < kb: four rows of
// A interleaved into one mr = 4 panel (gemmPackA's layout), four columns at
// a time through transpose4.
func packRows4(d, a []float32, lda, kb int) {
	d = d[:4*kb]
	r0, r1, r2, r3 := a[:kb], a[lda:lda+kb], a[2*lda:2*lda+kb], a[3*lda:3*lda+kb]
	p := 0
	for ; p+4 <= kb; p += 4 {
		w0, w1, w2, w3 := transpose4(ld4(r0[p:p+4]), ld4(r1[p:p+4]), ld4(r2[p:p+4]), ld4(r3[p:p+4]))
		q := (*[16]float32)(d[4*p : 4*p+16])
		st4(w0, q[0:4])
		st4(w1, q[4:8])
		st4(w2, q[8:12])
		st4(w3, q[12:16])
	}
	for ; p < kb; p++ {
		q := (*[4]float32)(d[4*p : 4*p+4])
		q[0], q[1], q[2], q[3] = r0[p], r1[p], r2[p], r3[p]
	}
}
