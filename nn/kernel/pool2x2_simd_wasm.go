//go:build goexperiment.simd && wasm

package kernel

import "simd/archsimd"

// MaxPool2x2 is the 2×2, stride-2 max pool of one plane (rows w apart) into
// y (oh×ow), with the flat index of each maximum (base + its offset in
// plane) in idx:
//
//	y[oy·ow + ox] = max_{i,j < 2} plane[(2·oy + i)·w + 2·ox + j]
//
// keeping the first maximum in row-major order on ties (pool2x2Scalar's rule).
//
// This is pool2x2Scalar with WebAssembly SIMD: four windows (8 input
// columns of the two rows) per iteration, the same comparisons and the same
// results bit for bit (values are selected by comparison masks, never by
// max, so signed zeros and ties resolve as in the scalar code).
//
// Wasm SIMD has no lane shuffles in archsimd, so a vector of four inputs
// (a0 b0 a1 b1) is paired with itself shifted right by 32 bits in each
// 64-bit half, (b0 · b1 ·): lanes 0 and 2 then hold both values of a
// window's row, and the two windows' results are read from those lanes.
func MaxPool2x2(plane []float32, w, oh, ow, base int, y []float32, idx []int32) {
	w32 := int32(w)
	vw := archsimd.BroadcastInt32x4(w32)
	var zero archsimd.Int32x4
	// Lane offsets of the two windows a vector covers: 0 and 2 (lanes 1, 3 unused).
	lane := archsimd.LoadInt32x4Array(&[4]int32{0, 0, 2, 0})
	for oy := range oh {
		r0 := plane[2*oy*w : 2*oy*w+2*ow]
		r1 := plane[(2*oy+1)*w : (2*oy+1)*w+2*ow]
		yr := y[oy*ow : oy*ow+ow]
		ir := idx[oy*ow : oy*ow+ow]
		at := int32(base + 2*oy*w)
		ox := 0
		for ; ox+4 <= ow; ox += 4 {
			x0 := (*[8]float32)(r0[2*ox : 2*ox+8])
			x1 := (*[8]float32)(r1[2*ox : 2*ox+8])
			va := archsimd.BroadcastInt32x4(at + int32(2*ox)).Add(lane)
			y0, i0 := pool2x2Vec(ld4(x0[0:4]), ld4(x1[0:4]), va, vw, zero)
			y1, i1 := pool2x2Vec(ld4(x0[4:8]), ld4(x1[4:8]), va.Add(archsimd.BroadcastInt32x4(4)), vw, zero)
			yq, iq := (*[4]float32)(yr[ox:ox+4]), (*[4]int32)(ir[ox:ox+4])
			yq[0], yq[1], yq[2], yq[3] = y0.GetElem(0), y0.GetElem(2), y1.GetElem(0), y1.GetElem(2)
			iq[0], iq[1], iq[2], iq[3] = i0.GetElem(0), i0.GetElem(2), i1.GetElem(0), i1.GetElem(2)
		}
		if ox < ow {
			pool2x2Row(r0[2*ox:], r1[2*ox:], w32, at+int32(2*ox), yr[ox:], ir[ox:])
		}
	}
}

// pool2x2Vec pools the windows whose top rows are (a0 b0 a1 b1) in t and
// bottom rows in b; at holds r0's flat index in lanes 0 and 2. Lanes 0 and 2
// of the results are the two windows' maxima and argmax indices.
func pool2x2Vec(t, b archsimd.Float32x4, at, vw, zero archsimd.Int32x4) (archsimd.Float32x4, archsimd.Int32x4) {
	ts := t.ToBits().ReshapeToUint64s().ShiftAllRight(32).ReshapeToUint32s().BitsToFloat32()
	bs := b.ToBits().ReshapeToUint64s().ShiftAllRight(32).ReshapeToUint32s().BitsToFloat32()
	mt, mb := ts.Greater(t), bs.Greater(b) // right column wins its row
	top, bot := ts.IfElse(mt, t), bs.IfElse(mb, b)
	ms := bot.Greater(top)               // bottom row wins
	ti := zero.Sub(mt.ToInt32x4())       // 0 or 1
	bi := vw.Sub(mb.ToInt32x4())         // w or w+1
	off := ti.Add(bi.Sub(ti).Masked(ms)) // ti, or bi when the bottom wins
	return bot.IfElse(ms, top), at.Add(off)
}
