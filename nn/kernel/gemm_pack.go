package kernel

// Packing copies blocks of op(A) and op(B) into the contiguous panel layouts
// the micro-kernels stream through, absorbing the transposes. It is O(mk+kn)
// against O(mnk) arithmetic, but with a thin dimension (conv layers: k = 27,
// or 16 output channels) it is a visible share, so the full-panel cases are
// small leaf functions (the wasm backend spills heavily in big ones) that
// move four floats at a time with few bounds checks.

// gemmPackA copies the mb×kb block of op(A) at (i0, p0) into dst as mr-row
// panels: panel q holds dst[q*mr*kb + p*mr + r] = op(A)[i0+q*mr+r, p0+p],
// rows past mb zero-filled.
func gemmPackA(dst []float32, mr int, trans bool, a []float32, lda, i0, p0, mb, kb int) {
	for r0 := 0; r0 < mb; r0 += mr {
		rows := min(mr, mb-r0)
		d := dst[r0*kb : r0*kb+mr*kb]
		switch {
		case trans && rows == 4 && mr == 4: // op(A)[i,p] = a[p*lda+i]: 4 contiguous values per p
			gemmCopyRows4(d, kb, a, lda, p0*lda+i0+r0)
		case !trans && rows == 4 && mr == 4:
			off := (i0+r0)*lda + p0
			gemmInterleave4(d, 4, kb, a[off:], a[off+lda:], a[off+2*lda:], a[off+3*lda:])
		case trans:
			gemmCopyRows(d, mr, kb, rows, a, lda, p0*lda+i0+r0)
		default:
			gemmScatterRows(d, mr, kb, rows, a, lda, (i0+r0)*lda+p0)
		}
	}
}

// gemmPackB copies the kb×nb block of op(B) at (p0, j0) into dst as column
// panels (widths from gemmPanelWidth): the panel starting at column j holds
// dst[j*kb + p*w + c] = op(B)[p0+p, j0+j+c], columns past nb zero-filled.
func gemmPackB(dst []float32, kern *Family, trans bool, b []float32, ldb, p0, j0, kb, nb int) {
	for j := 0; j < nb; j += kern.nr {
		w := gemmPanelWidth(kern, j, nb)
		cols := min(w, nb-j)
		d := dst[j*kb : j*kb+w*kb]
		switch {
		case !trans && cols == w && w == 8:
			gemmCopyRows8(d, kb, b, ldb, p0*ldb+j0+j)
		case !trans && cols == w && w == 4:
			gemmCopyRows4(d, kb, b, ldb, p0*ldb+j0+j)
		case !trans:
			gemmCopyRows(d, w, kb, cols, b, ldb, p0*ldb+j0+j)
		case cols == w && w%4 == 0: // op(B)[p,j] = b[j*ldb+p]: columns are rows of b
			for c := 0; c < w; c += 4 {
				off := (j0+j+c)*ldb + p0
				gemmInterleave4(d[c:], w, kb, b[off:], b[off+ldb:], b[off+2*ldb:], b[off+3*ldb:])
			}
		default:
			gemmScatterRows(d, w, kb, cols, b, ldb, (j0+j)*ldb+p0)
		}
	}
}

// gemmCopyRows4 sets d[4p:4p+4] = s[off+p*ld : off+p*ld+4] for 0 ≤ p < kb.
func gemmCopyRows4(d []float32, kb int, s []float32, ld, off int) {
	d = d[:4*kb]
	for p := 0; p < kb; p++ {
		gemmMove4((*[4]float32)(d[4*p:]), (*[4]float32)(s[off+p*ld:]))
	}
}

// gemmCopyRows8 sets d[8p:8p+8] = s[off+p*ld : off+p*ld+8] for 0 ≤ p < kb.
func gemmCopyRows8(d []float32, kb int, s []float32, ld, off int) {
	d = d[:8*kb]
	for p := 0; p < kb; p++ {
		src := s[off+p*ld : off+p*ld+8]
		dp := d[8*p : 8*p+8]
		gemmMove4((*[4]float32)(dp[0:4]), (*[4]float32)(src[0:4]))
		gemmMove4((*[4]float32)(dp[4:8]), (*[4]float32)(src[4:8]))
	}
}

// gemmCopyRows sets d[p*w : p*w+w] to the n values at s[off+p*ld:] followed
// by zeros, for 0 ≤ p < kb.
func gemmCopyRows(d []float32, w, kb, n int, s []float32, ld, off int) {
	for p := 0; p < kb; p++ {
		dp := d[p*w : p*w+w]
		copy(dp, s[off+p*ld:off+p*ld+n])
		clear(dp[n:])
	}
}

// gemmScatterRows sets d[p*w+r] = s[off+r*ld+p] for r < n (zero for
// n ≤ r < w), 0 ≤ p < kb: n rows of s transposed into the columns of d.
func gemmScatterRows(d []float32, w, kb, n int, s []float32, ld, off int) {
	for r := 0; r < w; r++ {
		if r >= n {
			for p := 0; p < kb; p++ {
				d[p*w+r] = 0
			}
			continue
		}
		for p, v := range s[off+r*ld : off+r*ld+kb] {
			d[p*w+r] = v
		}
	}
}

// gemmInterleave4 sets d[p*ld+r] = r_r[p] for the four rows r0..r3 and
// 0 ≤ p < kb: a 4×kb block transposed into four columns of d.
func gemmInterleave4(d []float32, ld, kb int, r0, r1, r2, r3 []float32) {
	r0, r1, r2, r3 = r0[:kb], r1[:kb], r2[:kb], r3[:kb]
	p := 0
	for ; p+4 <= kb; p += 4 {
		x0, x1 := (*[4]float32)(r0[p:p+4]), (*[4]float32)(r1[p:p+4])
		x2, x3 := (*[4]float32)(r2[p:p+4]), (*[4]float32)(r3[p:p+4])
		d0, d1 := (*[4]float32)(d[p*ld:]), (*[4]float32)(d[(p+1)*ld:])
		d2, d3 := (*[4]float32)(d[(p+2)*ld:]), (*[4]float32)(d[(p+3)*ld:])
		d0[0], d0[1], d0[2], d0[3] = x0[0], x1[0], x2[0], x3[0]
		d1[0], d1[1], d1[2], d1[3] = x0[1], x1[1], x2[1], x3[1]
		d2[0], d2[1], d2[2], d2[3] = x0[2], x1[2], x2[2], x3[2]
		d3[0], d3[1], d3[2], d3[3] = x0[3], x1[3], x2[3], x3[3]
	}
	for ; p < kb; p++ {
		dp := (*[4]float32)(d[p*ld:])
		dp[0], dp[1], dp[2], dp[3] = r0[p], r1[p], r2[p], r3[p]
	}
}
