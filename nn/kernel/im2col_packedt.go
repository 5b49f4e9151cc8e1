package kernel

// Im2colPackedT lowers one image into the B panels of the weight-gradient
// GEMM dW += dy·colᵀ (op(B) = colᵀ, k = output pixels, n = taps), fusing
// Im2col with gemmPackB's transposed packing. For the k block of pixels
// [pc, pc+kb) and the panel of taps starting at t0, of width wt =
// gemmPanelWidth(kern, t0, R) (R = C·K·K):
//
//	dst[t0·kb + p·wt + u] = col[t0+u, pc+p]   (0 for t0+u ≥ R)
//
// exactly what gemmPackB(dst, kern, true, col, OH·OW, pc, 0, kb, R) makes.
// It reads the zero-bordered image xp (PadImage; C planes of (H+2P)×(W+2P))
// of a stride-1 convolution, where tap t = (c, i, j) of pixel (oy, ox) is
// xp[offs[t] + oy·(W+2P) + ox] with offs[t] = c·(H+2P)(W+2P) + i·(W+2P) + j
// (TapOffsets). The pixels of a full 8-tap panel in one output row are one
// gatherTaps8 call (four at a time: eight 4-pixel loads, transposed in
// registers with wasm SIMD); Im2col followed by the packing's 4×4 transposes
// wrote and read the column matrix once more.
func Im2colPackedT(kern *Family, xp []float32, wp, ow int, offs []int32, pc, kb int, dst []float32) {
	r := len(offs)
	for t0 := 0; t0 < r; t0 += kern.nr {
		wt := gemmPanelWidth(kern, t0, r)
		panel := dst[t0*kb : (t0+wt)*kb]
		oy, ox := pc/ow, pc%ow
		if wt == 8 && t0+8 <= r {
			o32 := (*[8]int32)(offs[t0 : t0+8])
			var o [8]int
			for u, v := range o32 {
				o[u] = int(v)
			}
			for p := 0; p < kb; { // one run of pixels per output row
				n := min(ow-ox, kb-p)
				gatherTaps8(panel[p*8:(p+n)*8], xp, oy*wp+ox, &o, n)
				p, ox = p+n, ox+n
				if ox == ow {
					ox, oy = 0, oy+1
				}
			}
			continue
		}
		for p := 0; p < kb; p++ {
			b := oy*wp + ox
			d := panel[p*wt : p*wt+wt]
			for u := range d {
				d[u] = 0
				if t0+u < r {
					d[u] = xp[b+int(offs[t0+u])]
				}
			}
			if ox++; ox == ow {
				ox, oy = 0, oy+1
			}
		}
	}
}

// TapOffsets returns offs (grown as needed) with offs[t] = c·hp·wp + i·wp + j
// for each tap t = (c·k + i)·k + j of a k×k kernel over c planes of hp×wp.
func TapOffsets(offs []int32, c, k, hp, wp int) []int32 {
	n := c * k * k
	if cap(offs) < n {
		offs = make([]int32, n)
	}
	offs = offs[:n]
	for ci := range c {
		for i := range k {
			for j := range k {
				offs[(ci*k+i)*k+j] = int32(ci*hp*wp + i*wp + j)
			}
		}
	}
	return offs
}
