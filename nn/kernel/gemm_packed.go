package kernel

// Packing A once for many products. A convolution multiplies the same weight
// matrix by every image's columns (forward y_n = W·col_n, backward
// dcol_n = Wᵀ·dy_n); Sgemm would pack W again for each image. PackedA
// keeps the panels gemmBlocked builds, so a batch pays for one packing.

// gemmPackedKernel is the blocked kernel family behind Sgemm in builds that
// set it (wasm SIMD), nil otherwise (see Blocked); PackedA falls back to
// Sgemm when nil.
var gemmPackedKernel *Family

// PackedA is op(A) (m×k) packed for gemmPackedKernel, or, without that
// kernel, a reference to A for plain Sgemm calls. The zero value is ready
// for Pack; its buffer is reused by later Packs. The (pc, ic) cache block
// of gemmBlocked (k offset pc, row offset ic) starts at data[mR*pc + ic*kb]
// where mR is m rounded up to mr and kb the block's depth.
type PackedA struct {
	transA bool
	m, k   int
	a      []float32
	lda    int
	data   []float32
}

// Pack records op(A) (m×k; A is stored m×k, or k×m when transA, rows lda
// apart) and packs it when a blocked kernel is available. A must not change
// while the packing is used.
func (p *PackedA) Pack(transA bool, m, k int, a []float32, lda int) {
	ar, ac := m, k
	if transA {
		ar, ac = k, m
	}
	gemmCheckMatrix("A", ar, ac, a, lda)
	p.transA, p.m, p.k, p.a, p.lda = transA, m, k, a, lda
	kern := gemmPackedKernel
	if kern == nil || m == 0 || k == 0 {
		p.data = p.data[:0]
		return
	}
	mr, mc := kern.mr, gemmMCTiles*kern.mr
	mR := gemmRoundUp(m, mr)
	p.data = gemmGrow(p.data, mR*k)
	for pc := 0; pc < k; pc += gemmKC {
		kb := min(gemmKC, k-pc)
		for ic := 0; ic < m; ic += mc {
			mb := min(mc, m-ic)
			gemmPackA(p.data[mR*pc+ic*kb:], mr, transA, a, lda, ic, pc, mb, kb)
		}
	}
}

// Gemm computes C = alpha·op(A)·op(B) + beta·C with the packed op(A) (m×k),
// op(B) k×n and C m×n, as Sgemm does (same strides and beta == 0 rule).
func (p *PackedA) Gemm(transB bool, n int, alpha float32, b []float32, ldb int, beta float32, c []float32, ldc int) {
	m, k := p.m, p.k
	kern := gemmPackedKernel
	if kern == nil || m == 0 || n == 0 || k == 0 || alpha == 0 {
		Sgemm(p.transA, transB, m, n, k, alpha, p.a, p.lda, b, ldb, beta, c, ldc)
		return
	}
	gemmCheckArgs(p.transA, transB, m, n, k, p.a, p.lda, b, ldb, c, ldc)
	mr, nr := kern.mr, kern.nr
	mc, mR := gemmMCTiles*mr, gemmRoundUp(m, mr)
	kcMax, ncMax := min(k, gemmKC), min(n, gemmNC)

	bufs := gemmAcquire()
	defer gemmRelease(bufs)
	bufs.b = gemmGrow(bufs.b, kcMax*gemmRoundUp(ncMax, nr))
	bufs.tile = gemmGrow(bufs.tile, mr*nr)
	blk := gemmBuffers{b: bufs.b, tile: bufs.tile}

	for jc := 0; jc < n; jc += gemmNC {
		nb := min(gemmNC, n-jc)
		for pc := 0; pc < k; pc += gemmKC {
			kb := min(gemmKC, k-pc)
			betaBlk := beta
			if pc > 0 {
				betaBlk = 1 // later k blocks accumulate onto the first
			}
			gemmPackB(bufs.b, kern, transB, b, ldb, pc, jc, kb, nb)
			for ic := 0; ic < m; ic += mc {
				mb := min(mc, m-ic)
				off := mR*pc + ic*kb
				blk.a = p.data[off : off+gemmRoundUp(mb, mr)*kb]
				gemmMacroKernel(kern, &blk, mb, nb, kb, alpha, betaBlk, c[ic*ldc+jc:], ldc)
			}
		}
	}
}
