package kernel

// Im2colPacked lowers one image straight into the B panel layout of a GEMM
// kernel family, fusing Im2col with gemmPackB: the forward convolution
// y = W·col + b then runs the micro-kernels on it without writing the
// column matrix (C·K·K × OH·OW, up to 4.7 MB per batch at the reference
// shapes) to memory and packing it again.
//
// With Q = OH·OW output pixels and R = C·K·K taps, the packed matrix has
// depth kd = R+1 when ones is set (row R all ones, so a bias column in A adds
// b), else kd = R. The panel starting at pixel j, of width wj =
// gemmPanelWidth(kern, j, Q), holds
//
//	dst[j·kd + r·wj + t] = col[r, j+t]   (0 for j+t ≥ Q; 1 on the ones row)
//
// exactly what gemmPackB would make of col (kb = kd, nb = Q).
//
// Fast path: stride 1, 8-wide panels and OW a multiple of 8, so every panel
// is 8 pixels of one output row. The image is first copied with a zero
// border of P (PadImage, into scratch, which is returned grown; or xp, when
// the caller has the padded image already, else nil), so each tap
// of a panel is one unconditional 8-float move from the padded image. The
// moves are unrolled for 3×3 kernels: in Go's wasm code every loop
// back-edge goes through the function's dispatch table, so a loop that
// moves 8 floats per iteration spends most of its time looping. Other
// geometries gather element by element.
func Im2colPacked(kern *Family, x, xp []float32, c, h, w, k, s, p int, ones bool, dst, scratch []float32) []float32 {
	oh, ow := ConvOut(h, k, s, p), ConvOut(w, k, s, p)
	q, r := oh*ow, c*k*k
	kd := r
	if ones {
		kd++
	}
	rowPanels := s == 1 && kern.nr == 8 && ow%8 == 0
	hp, wp := h+2*p, w+2*p
	if rowPanels && xp == nil {
		scratch = PadImage(scratch, x, c, h, w, p)
		xp = scratch
	}
	for j := 0; j < q; j += kern.nr {
		wj := gemmPanelWidth(kern, j, q)
		panel := dst[j*kd : (j+wj)*kd]
		switch {
		case rowPanels && k == 3:
			oy, ox0 := j/ow, j%ow
			im2colPanel3(panel, xp[oy*wp+ox0:], c, hp*wp, wp)
		case rowPanels:
			oy, ox0 := j/ow, j%ow
			im2colPanelK(panel, xp[oy*wp+ox0:], c, k, hp*wp, wp)
		default:
			im2colPanelGather(panel, wj, x, c, h, w, k, s, p, ow, j, q)
		}
		if ones {
			cols := min(wj, q-j)
			row := panel[r*wj : r*wj+cols]
			for t := range row {
				row[t] = 1
			}
			clear(panel[r*wj+cols : (r+1)*wj])
		}
	}
	return scratch
}

// PadImage copies x (C, H, W) into buf as (C, H+2P, W+2P) with a zero
// border of width P, growing buf if needed, and returns it.
func PadImage(buf, x []float32, c, h, w, p int) []float32 {
	hp, wp := h+2*p, w+2*p
	buf = gemmGrow(buf, c*hp*wp)
	for ci := range c {
		plane := buf[ci*hp*wp : (ci+1)*hp*wp]
		clear(plane[:p*wp])
		clear(plane[(hp-p)*wp:])
		for y := range h {
			row := plane[(y+p)*wp : (y+p+1)*wp]
			src := x[(ci*h+y)*w : (ci*h+y+1)*w]
			if p == 1 { // a runtime call per 1-float clear costs more
				row[0], row[w+1] = 0, 0
			} else {
				clear(row[:p])
				clear(row[p+w:])
			}
			d := row[p : p+w]
			if w%8 != 0 {
				copy(d, src)
				continue
			}
			for t := 0; t < w; t += 8 {
				move8(d[t:t+8], src[t:t+8])
			}
		}
	}
	return buf
}

// move8 copies 8 floats with two 4-float moves.
func move8(d, s []float32) {
	d, s = d[:8], s[:8]
	gemmMove4((*[4]float32)(d[0:4]), (*[4]float32)(s[0:4]))
	gemmMove4((*[4]float32)(d[4:8]), (*[4]float32)(s[4:8]))
}

// im2colPanel3 fills the 9·C tap rows of an 8-pixel stride-1 panel for a
// 3×3 kernel from the padded image xp, which starts at the panel's top-left
// input pixel; planes are ps apart, rows wp apart.
func im2colPanel3(panel, xp []float32, c, ps, wp int) {
	for ci := range c {
		d := panel[ci*72 : ci*72+72]
		r0 := xp[ci*ps : ci*ps+10]
		r1 := xp[ci*ps+wp : ci*ps+wp+10]
		r2 := xp[ci*ps+2*wp : ci*ps+2*wp+10]
		move8(d[0:8], r0[0:8])
		move8(d[8:16], r0[1:9])
		move8(d[16:24], r0[2:10])
		move8(d[24:32], r1[0:8])
		move8(d[32:40], r1[1:9])
		move8(d[40:48], r1[2:10])
		move8(d[48:56], r2[0:8])
		move8(d[56:64], r2[1:9])
		move8(d[64:72], r2[2:10])
	}
}

// im2colPanelK is im2colPanel3 for any K.
func im2colPanelK(panel, xp []float32, c, k, ps, wp int) {
	for ci := range c {
		for i := range k {
			row := xp[ci*ps+i*wp:]
			for jj := range k {
				t := (ci*k+i)*k + jj
				move8(panel[t*8:t*8+8], row[jj:jj+8])
			}
		}
	}
}

// im2colPanelGather fills the tap rows of the panel starting at pixel j0
// one element at a time (any stride; pixels may span output rows).
func im2colPanelGather(panel []float32, wj int, x []float32, c, h, w, k, s, p, ow, j0, q int) {
	hw := h * w
	for ci := range c {
		plane := x[ci*hw : ci*hw+hw]
		for i := range k {
			for jj := range k {
				d := panel[((ci*k+i)*k+jj)*wj:][:wj]
				for t := range d {
					d[t] = 0
					if j0+t >= q {
						continue
					}
					oy, ox := (j0+t)/ow, (j0+t)%ow
					iy, ix := oy*s-p+i, ox*s-p+jj
					if iy >= 0 && iy < h && ix >= 0 && ix < w {
						d[t] = plane[iy*w+ix]
					}
				}
			}
		}
	}
}

// gemmPanelCols is the number of columns the B panels of an n-column block
// occupy (n rounded up to the last panel's width): a packed depth-kd block
// holds gemmPanelCols(kern, n)·kd floats.
func gemmPanelCols(kern *Family, n int) int {
	if n <= 0 {
		return 0
	}
	last := (n - 1) / kern.nr * kern.nr
	return last + gemmPanelWidth(kern, last, n)
}
