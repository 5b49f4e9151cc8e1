package kernel

// The blocked kernel family, for callers that pack their own operands: a
// convolution lowers its images straight into the B panels (Im2colPacked,
// Im2colPackedT) and runs the tiles on them with Multiply, so no column
// matrix is written and packed again. With mr×nr tiles the layouts are
//
//	packed A (m×k):  panel q holds A[q·mr + i, p] at q·mr·k + p·mr + i (rows past m zero)
//	packed B (k×n):  the panel at column j, width w, holds B[p, j + t] at j·k + p·w + t
//
// with w = nr, or nr/2 for a narrow last panel when the family has a half
// kernel (columns past n zero).

// BlockK is the depth of Sgemm's cache blocks: a kc×nc block of op(B) is
// packed once per BlockK steps of k. Callers that block a long product
// themselves (a convolution's weight gradient, over output pixels) use it too.
const BlockK = gemmKC

// Blocked returns the blocked kernel family behind Sgemm in builds that have
// one for Multiply (WebAssembly SIMD), else nil: callers then use Sgemm.
func Blocked() *Family { return gemmPackedKernel }

// PackedALen is the length of m×k packed A panels: m rounded up to mr, times k.
func (f *Family) PackedALen(m, k int) int { return gemmRoundUp(m, f.mr) * k }

// PackedBLen is the length of k×n packed B panels: k times the columns the
// panels occupy (n rounded up to the last panel's width).
func (f *Family) PackedBLen(k, n int) int { return gemmPanelCols(f, n) * k }

// TileLen is the length of the scratch tile Multiply needs (mr·nr).
func (f *Family) TileLen() int { return f.mr * f.nr }

// PackA copies the mb×kb block of op(A) at (i0, p0) into dst as packed A
// panels (op(A)[i, p] = A[i, p], or A[p, i] when trans; rows lda apart).
// dst holds PackedALen(mb, kb) elements.
func (f *Family) PackA(dst []float32, trans bool, a []float32, lda, i0, p0, mb, kb int) {
	gemmPackA(dst, f.mr, trans, a, lda, i0, p0, mb, kb)
}

// PackARows is PackA(dst, false, a, lda, 0, 0, mb, kb). With 4-row panels
// and mb a multiple of 4 it interleaves four rows at a time (packRows4: in
// registers with WebAssembly SIMD), which pays for wide, short blocks such
// as a convolution's dy.
func (f *Family) PackARows(dst, a []float32, lda, mb, kb int) {
	if f.mr != 4 || mb%4 != 0 {
		gemmPackA(dst, f.mr, false, a, lda, 0, 0, mb, kb)
		return
	}
	for r := 0; r < mb; r += 4 {
		packRows4(dst[r*kb:(r+4)*kb], a[r*lda:], lda, kb)
	}
}

// Multiply computes C = alpha·A·B + beta·C for packed A (m×k, PackA) and
// packed B (k×n, Im2colPacked or Im2colPackedT), C m×n with rows ldc apart,
// any depth k; tile is scratch of TileLen() elements. When beta == 0, C is
// not read.
func (f *Family) Multiply(ap, bp, tile []float32, m, n, k int, alpha, beta float32, c []float32, ldc int) {
	bufs := gemmBuffers{a: ap, b: bp, tile: tile}
	gemmMacroKernel(f, &bufs, m, n, k, alpha, beta, c, ldc)
}
