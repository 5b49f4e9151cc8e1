package kernel

// Reading A in place. The micro-kernels broadcast one element of A per row
// and step of k, so they need no particular layout for A: packing it buys
// little and, for the thin conv shapes (k = 27 with many rows, or n = 16
// columns), costs as much as a third of the call. When A is not transposed
// and n is at most four B panels wide, the SIMD families therefore read its
// rows directly (see gemmBlocked).

// gemmDirect holds the unpacked-A kernels of a family (see Family).
type gemmDirect struct {
	full, half gemmDirectKernel
	rowTail    []gemmDirectKernel
}

// gemmDirectKernel is gemmMicroKernel with A unpacked: tile q reads rows
// q*mr..q*mr+mr-1 of A, row r at a[r*lda : r*lda+kc]:
//
//	C[q*mr+i, j] = alpha * Σ_p a[(q*mr+i)*lda + p] * bp[p*w + j] + beta * C[q*mr+i, j]
type gemmDirectKernel func(kc, panels int, a []float32, lda int, bp []float32, alpha, beta float32, c []float32, ldc int)

// gemmMacroDirect is gemmMacroKernel for an unpacked mb×kb block of A
// (a starts at its top-left). Corner tiles, narrower and shorter than a
// tile, pack their few rows of A and use the packed kernel.
func gemmMacroDirect(kern *Family, bufs *gemmBuffers, a []float32, lda, mb, nb, kb int, alpha, beta float32, c []float32, ldc int) {
	mr, d := kern.mr, kern.direct
	for j := 0; j < nb; j += kern.nr {
		w := gemmPanelWidth(kern, j, nb)
		fn, packed := d.full, kern.full
		if w != kern.nr {
			fn, packed = d.half, kern.half
		}
		cols := min(w, nb-j)
		bp := bufs.b[j*kb : j*kb+w*kb]
		full := mb / mr // whole tiles go straight to C
		if cols < w {
			full = 0
		}
		if full > 0 {
			fn(kb, full, a, lda, bp, alpha, beta, c[j:], ldc)
		}
		for i := full * mr; i < mb; i += mr { // edge tiles
			rows := min(mr, mb-i)
			ci := c[i*ldc+j:]
			t := bufs.tile[:mr*w]
			switch {
			case cols == kern.nr && rows < len(d.rowTail):
				d.rowTail[rows](kb, 1, a[i*lda:], lda, bp, alpha, beta, ci, ldc)
				continue
			case rows == mr:
				fn(kb, 1, a[i*lda:], lda, bp, 1, 0, t, w)
			default:
				ap := bufs.a[:mr*kb]
				gemmPackA(ap, mr, false, a, lda, i, 0, rows, kb)
				packed(kb, 1, ap, bp, 1, 0, t, w)
			}
			gemmMergeTile(rows, cols, t, w, alpha, beta, ci, ldc)
		}
	}
}
