package kernel

// Im2col and Col2im turn convolution into matrix multiplication.
//
// For one image x of shape (C, H, W), a K×K kernel, stride S and zero padding
// P, the output is OH×OW with OH = (H+2P−K)/S + 1 (likewise OW). The column
// matrix has one row per kernel tap r = (c·K + i)·K + j and one column per
// output pixel q = oy·OW + ox:
//
//	col[r, q] = x[c, oy·S − P + i, ox·S − P + j]   (0 outside the image)
//
// Rows are ld apart, so a caller can lay several images side by side in one
// wide matrix (ld = N·OH·OW, each image at its own column offset) or give each
// image its own (ld = OH·OW). Col2im is the adjoint: it adds every col entry
// back onto the input pixel it was read from.
//
// Both walk whole output rows: for one tap (i, j) and one output row oy the
// valid pixels form one contiguous span [x0, x1) of ox, so stride 1 is a
// copy (or a bounds-check-free add) per row and padding is a short clear at
// either end.
//
// "Same" convolutions (stride 1, K = 2P + 1, so OW = W: 3×3 pad 1, 1×1)
// take a faster path: with equal row lengths, tap (i, j) reads the image
// shifted by a constant (i−P)·W + (j−P), so all valid rows of a tap are ONE
// copy (one add loop in Col2im); the columns that the shift wraps into the
// neighbouring row are then cleared (Im2col) or dropped from dcol beforehand
// (Col2im). This matters most for small images, where rows are 8 wide.

// ConvOut is the output length of a convolution along one axis:
// (in + 2·pad − k)/stride + 1.
func ConvOut(in, k, stride, pad int) int {
	return (in+2*pad-k)/stride + 1
}

// validSpan returns the range [x0, x1) of output positions o in [0, n) whose
// input position o·s + off lies in [0, w).
func validSpan(n, s, off, w int) (x0, x1 int) {
	if off < 0 {
		x0 = (-off + s - 1) / s
	}
	if w-1-off < 0 {
		return 0, 0
	}
	x1 = (w-1-off)/s + 1
	if x1 > n {
		x1 = n
	}
	if x0 > x1 {
		x0 = x1
	}
	return x0, x1
}

// Im2col writes the columns of image x (C, H, W) into col, rows ld apart.
// col must hold (C·K·K − 1)·ld + OH·OW elements.
func Im2col(x []float32, c, h, w, k, s, p int, col []float32, ld int) {
	if s == 1 && k == 2*p+1 {
		im2colSame(x, c, h, w, k, p, col, ld)
		return
	}
	oh, ow := ConvOut(h, k, s, p), ConvOut(w, k, s, p)
	hw := h * w
	for ci := range c {
		plane := x[ci*hw : ci*hw+hw]
		for i := range k {
			// Output rows whose input row iy = oy·s − p + i is inside.
			y0, y1 := validSpan(oh, s, i-p, h)
			for j := range k {
				row := col[((ci*k+i)*k+j)*ld:][:oh*ow]
				x0, x1 := validSpan(ow, s, j-p, w)
				clear(row[:y0*ow])
				clear(row[y1*ow:])
				for oy := y0; oy < y1; oy++ {
					dst := row[oy*ow : oy*ow+ow]
					iy := oy*s - p + i
					src := plane[iy*w : iy*w+w]
					for t := range x0 {
						dst[t] = 0
					}
					if x0 >= x1 {
						// every column of this tap is padding
					} else if s == 1 {
						copy(dst[x0:x1], src[x0+j-p:])
					} else {
						d := dst[x0:x1]
						ix := x0*s + j - p
						for t := range d {
							d[t] = src[ix]
							ix += s
						}
					}
					for t := x1; t < ow; t++ {
						dst[t] = 0
					}
				}
			}
		}
	}
}

// Col2im adds the columns in col (rows ld apart) back onto image dx (C, H, W):
// dx[c, oy·S − P + i, ox·S − P + j] += col[r, q]. dx is not cleared first.
//
// In the "same" case it clears the wrapped columns of col (scratch) first.
func Col2im(col []float32, c, h, w, k, s, p int, dx []float32, ld int) {
	if s == 1 && k == 2*p+1 {
		col2imSame(col, c, h, w, k, p, dx, ld)
		return
	}
	oh, ow := ConvOut(h, k, s, p), ConvOut(w, k, s, p)
	hw := h * w
	for ci := range c {
		plane := dx[ci*hw : ci*hw+hw]
		for i := range k {
			y0, y1 := validSpan(oh, s, i-p, h)
			for j := range k {
				row := col[((ci*k+i)*k+j)*ld:][:oh*ow]
				x0, x1 := validSpan(ow, s, j-p, w)
				if x0 >= x1 {
					continue
				}
				for oy := y0; oy < y1; oy++ {
					src := row[oy*ow+x0 : oy*ow+x1]
					iy := oy*s - p + i
					dst := plane[iy*w : iy*w+w]
					if s == 1 {
						Add(dst[x0+j-p:x1+j-p], src)
					} else {
						ix := x0*s + j - p
						for _, v := range src {
							dst[ix] += v
							ix += s
						}
					}
				}
			}
		}
	}
}

// sameTap describes tap (i, j) of a "same" convolution (OH = H, OW = W): output
// pixel q = oy·W + ox reads input pixel q + shift, valid for rows [y0, y1) and
// columns [x0, x1); [q0, q1) is the span of q whose source lies in the image.
func sameTap(h, w, p, i, j int) (shift, y0, y1, x0, x1, q0, q1 int) {
	dy, dx := i-p, j-p
	y0, y1 = max(0, -dy), min(h, h-dy)
	x0, x1 = max(0, -dx), min(w, w-dx)
	if y1 <= y0 || x1 <= x0 {
		return 0, 0, 0, 0, 0, 0, 0
	}
	q0, q1 = y0*w+max(0, -dx), y1*w-max(0, dx)
	return dy*w + dx, y0, y1, x0, x1, q0, q1
}

// im2colSame is Im2col for stride 1 and K = 2P + 1.
func im2colSame(x []float32, c, h, w, k, p int, col []float32, ld int) {
	hw := h * w
	for ci := range c {
		plane := x[ci*hw : ci*hw+hw]
		for i := range k {
			for j := range k {
				row := col[((ci*k+i)*k+j)*ld:][:hw]
				shift, y0, y1, x0, x1, q0, q1 := sameTap(h, w, p, i, j)
				if q0 >= q1 {
					clear(row)
					continue
				}
				clear(row[:q0])
				copy(row[q0:q1], plane[q0+shift:q1+shift])
				clear(row[q1:])
				if x0 == 0 && x1 == w {
					continue
				}
				for oy := y0; oy < y1; oy++ {
					r := row[oy*w : oy*w+w]
					for t := range x0 {
						r[t] = 0
					}
					for t := x1; t < w; t++ {
						r[t] = 0
					}
				}
			}
		}
	}
}

// col2imSame is Col2im for stride 1 and K = 2P + 1. It clears the entries
// of col that have no source pixel, then adds each tap's block in one loop.
func col2imSame(col []float32, c, h, w, k, p int, dx []float32, ld int) {
	hw := h * w
	for ci := range c {
		plane := dx[ci*hw : ci*hw+hw]
		for i := range k {
			for j := range k {
				row := col[((ci*k+i)*k+j)*ld:][:hw]
				shift, y0, y1, x0, x1, q0, q1 := sameTap(h, w, p, i, j)
				if q0 >= q1 {
					continue
				}
				if x0 != 0 || x1 != w {
					for oy := y0; oy < y1; oy++ {
						r := row[oy*w : oy*w+w]
						for t := range x0 {
							r[t] = 0
						}
						for t := x1; t < w; t++ {
							r[t] = 0
						}
					}
				}
				Add(plane[q0+shift:q1+shift], row[q0:q1])
			}
		}
	}
}
