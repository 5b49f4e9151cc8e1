package kernel

// scalarKernel is the portable micro-kernel: 4×4 tiles held in 16 scalar
// accumulators, plus a 4×2 kernel for narrow column tails; k is unrolled ×2
// (about 2× faster than not unrolling, natively and in wasm).
var scalarKernel = Family{mr: 4, nr: 4, full: scalar4x4, half: scalar4x2}

// sgemmScalar is Sgemm with portable Go kernels (no SIMD, no assembly).
func sgemmScalar(transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	gemmBlocked(&scalarKernel, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// scalar4x4 computes panels 4×4 tiles of C = alpha*Ap*Bp + beta*C (see
// gemmMicroKernel).
func scalar4x4(kc, panels int, ap, bp []float32, alpha, beta float32, c []float32, ldc int) {
	for q := range panels {
		scalarTile4x4(kc, ap[q*4*kc:(q+1)*4*kc], bp, alpha, beta, c[q*4*ldc:], ldc)
	}
}

func scalarTile4x4(kc int, ap, bp []float32, alpha, beta float32, c []float32, ldc int) {
	var c00, c01, c02, c03, c10, c11, c12, c13 float32
	var c20, c21, c22, c23, c30, c31, c32, c33 float32
	ap, bp = ap[:4*kc], bp[:4*kc]
	for len(ap) >= 8 && len(bp) >= 8 { // unrolled ×2: halves the loop overhead
		a, b := (*[8]float32)(ap), (*[8]float32)(bp)
		{
			b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
			a0 := a[0]
			c00 += a0 * b0
			c01 += a0 * b1
			c02 += a0 * b2
			c03 += a0 * b3
			a1 := a[1]
			c10 += a1 * b0
			c11 += a1 * b1
			c12 += a1 * b2
			c13 += a1 * b3
			a2 := a[2]
			c20 += a2 * b0
			c21 += a2 * b1
			c22 += a2 * b2
			c23 += a2 * b3
			a3 := a[3]
			c30 += a3 * b0
			c31 += a3 * b1
			c32 += a3 * b2
			c33 += a3 * b3
		}
		{
			b0, b1, b2, b3 := b[4], b[5], b[6], b[7]
			a0 := a[4]
			c00 += a0 * b0
			c01 += a0 * b1
			c02 += a0 * b2
			c03 += a0 * b3
			a1 := a[5]
			c10 += a1 * b0
			c11 += a1 * b1
			c12 += a1 * b2
			c13 += a1 * b3
			a2 := a[6]
			c20 += a2 * b0
			c21 += a2 * b1
			c22 += a2 * b2
			c23 += a2 * b3
			a3 := a[7]
			c30 += a3 * b0
			c31 += a3 * b1
			c32 += a3 * b2
			c33 += a3 * b3
		}
		ap, bp = ap[8:], bp[8:]
	}
	if len(ap) >= 4 && len(bp) >= 4 {
		a, b := (*[4]float32)(ap), (*[4]float32)(bp)
		b0, b1, b2, b3 := b[0], b[1], b[2], b[3]
		a0 := a[0]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		a1 := a[1]
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		a2 := a[2]
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		a3 := a[3]
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	gemmStoreRow4(c[0*ldc:], c00, c01, c02, c03, alpha, beta)
	gemmStoreRow4(c[1*ldc:], c10, c11, c12, c13, alpha, beta)
	gemmStoreRow4(c[2*ldc:], c20, c21, c22, c23, alpha, beta)
	gemmStoreRow4(c[3*ldc:], c30, c31, c32, c33, alpha, beta)
}

// scalar4x2 computes panels 4×2 tiles of C = alpha*Ap*Bp + beta*C.
func scalar4x2(kc, panels int, ap, bp []float32, alpha, beta float32, c []float32, ldc int) {
	for q := range panels {
		scalarTile4x2(kc, ap[q*4*kc:(q+1)*4*kc], bp, alpha, beta, c[q*4*ldc:], ldc)
	}
}

func scalarTile4x2(kc int, ap, bp []float32, alpha, beta float32, c []float32, ldc int) {
	var c00, c01, c10, c11, c20, c21, c30, c31 float32
	ap, bp = ap[:4*kc], bp[:2*kc]
	for len(ap) >= 8 && len(bp) >= 4 { // unrolled ×2: halves the loop overhead
		a, b := (*[8]float32)(ap), (*[4]float32)(bp)
		{
			b0, b1 := b[0], b[1]
			a0 := a[0]
			c00 += a0 * b0
			c01 += a0 * b1
			a1 := a[1]
			c10 += a1 * b0
			c11 += a1 * b1
			a2 := a[2]
			c20 += a2 * b0
			c21 += a2 * b1
			a3 := a[3]
			c30 += a3 * b0
			c31 += a3 * b1
		}
		{
			b0, b1 := b[2], b[3]
			a0 := a[4]
			c00 += a0 * b0
			c01 += a0 * b1
			a1 := a[5]
			c10 += a1 * b0
			c11 += a1 * b1
			a2 := a[6]
			c20 += a2 * b0
			c21 += a2 * b1
			a3 := a[7]
			c30 += a3 * b0
			c31 += a3 * b1
		}
		ap, bp = ap[8:], bp[4:]
	}
	if len(ap) >= 4 && len(bp) >= 2 {
		a, b := (*[4]float32)(ap), (*[2]float32)(bp)
		b0, b1 := b[0], b[1]
		a0 := a[0]
		c00 += a0 * b0
		c01 += a0 * b1
		a1 := a[1]
		c10 += a1 * b0
		c11 += a1 * b1
		a2 := a[2]
		c20 += a2 * b0
		c21 += a2 * b1
		a3 := a[3]
		c30 += a3 * b0
		c31 += a3 * b1
	}
	for i, v := range [4][2]float32{{c00, c01}, {c10, c11}, {c20, c21}, {c30, c31}} {
		r := c[i*ldc : i*ldc+2]
		if beta == 0 {
			r[0], r[1] = alpha*v[0], alpha*v[1]
		} else {
			r[0], r[1] = alpha*v[0]+beta*r[0], alpha*v[1]+beta*r[1]
		}
	}
}

// gemmStoreRow4 sets c[0:4] = alpha*(x0..x3) + beta*c[0:4]; beta == 0 does not read c.
func gemmStoreRow4(c []float32, x0, x1, x2, x3, alpha, beta float32) {
	r := (*[4]float32)(c)
	if beta == 0 {
		r[0], r[1], r[2], r[3] = alpha*x0, alpha*x1, alpha*x2, alpha*x3
		return
	}
	r[0] = alpha*x0 + beta*r[0]
	r[1] = alpha*x1 + beta*r[1]
	r[2] = alpha*x2 + beta*r[2]
	r[3] = alpha*x3 + beta*r[3]
}
