package kernel

import (
	"sync"
	"sync/atomic"
)

// The SIMD micro-kernels are generated (gemm_simd_*_kernels.go).
//go:generate go run gemm_gen.go

// Family is a register-blocked micro-kernel family run by gemmBlocked
// (Blocked returns the one a caller may drive itself; family.go has its
// exported packing and multiply).
//
// full computes mr×nr tiles of C from packed panels of A and one packed
// panel of B (see gemmMicroKernel). half, if not nil, does the same for
// mr×(nr/2) tiles (B panel packed nr/2 wide); it serves narrow column tails.
// rowTail[r], if present, computes r×nr tiles (r < mr) from the first r rows
// of the zero-padded last A panel, so row tails are written straight to C.
// Other edge tiles go through a scratch tile. direct, if not nil, is the
// same family reading A unpacked (gemm_direct.go), used when A is not
// transposed and n is small.
type Family struct {
	mr, nr  int
	full    gemmMicroKernel
	half    gemmMicroKernel
	rowTail []gemmMicroKernel
	direct  *gemmDirect
}

// gemmMicroKernel computes `panels` stacked mr×w tiles (w is the B panel
// width) of C; tile q reads the A panel at ap[q*mr*kc:] and writes C rows
// q*mr..q*mr+mr-1:
//
//	C[q*mr+i, j] = alpha * Σ_p ap[q*mr*kc + p*mr + i] * bp[p*w + j] + beta * C[q*mr+i, j]
//
// for 0 ≤ p < kc, with C[i,j] = c[i*ldc+j]. When beta == 0 it must not read C.
// Handling a column of tiles per call keeps call overhead out of the loop.
type gemmMicroKernel func(kc, panels int, ap, bp []float32, alpha, beta float32, c []float32, ldc int)

// Cache blocking (BLIS order): a kc×nc block of op(B) is packed once and
// reused by every mc×kc block of op(A); one kc×nr micro-panel of B stays in
// L1 while the mr-row panels of A stream past it.
const (
	gemmKC      = 256
	gemmNC      = 512
	gemmMCTiles = 24 // mc = 24*mr rows of A per packed block
)

// gemmScratch holds packing buffers reused across calls, so steady-state
// Sgemm does not allocate. A call that finds them busy (concurrent native
// callers; wasm workers are separate instances) takes a set from gemmPool.
var (
	gemmScratch     gemmBuffers
	gemmScratchBusy atomic.Bool
	gemmPool        = sync.Pool{New: func() any { return new(gemmBuffers) }}
)

type gemmBuffers struct {
	a, b, tile []float32
}

// gemmAcquire takes the package scratch buffers, or a pooled set when a
// concurrent caller holds them; gemmRelease gives them back.
func gemmAcquire() *gemmBuffers {
	if gemmScratchBusy.CompareAndSwap(false, true) {
		return &gemmScratch
	}
	return gemmPool.Get().(*gemmBuffers)
}

func gemmRelease(bufs *gemmBuffers) {
	if bufs == &gemmScratch {
		gemmScratchBusy.Store(false)
		return
	}
	gemmPool.Put(bufs)
}

func gemmGrow(s []float32, n int) []float32 {
	if cap(s) < n {
		return make([]float32, n)
	}
	return s[:n]
}

// gemmBlocked computes C = alpha*op(A)*op(B) + beta*C (m, n, k > 0) by
// packing op(A) into mr-row panels and op(B) into nr-column panels (the
// transposes are absorbed there) and running kern over the tiles. With a
// direct kernel, A not transposed and n small, A is read in place instead.
func gemmBlocked(kern *Family, transA, transB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	mr, nr := kern.mr, kern.nr
	mc := gemmMCTiles * mr
	kcMax, ncMax := min(k, gemmKC), min(n, gemmNC)

	bufs := gemmAcquire()
	defer gemmRelease(bufs)
	bufs.a = gemmGrow(bufs.a, kcMax*min(mc, gemmRoundUp(m, mr)))
	bufs.b = gemmGrow(bufs.b, kcMax*gemmRoundUp(ncMax, nr))
	bufs.tile = gemmGrow(bufs.tile, mr*nr)

	// Reading A in place saves packing it (~1 ns per element in wasm) but the
	// direct kernels run 12–15% slower per flop, so it pays while few B
	// panels reuse a packed A. Measured (cpu GFLOP/s, packed → direct):
	// wasm 1024×27×16 11.5 → 16.2, 256×144×32 16.8 → 18.9, n = 64 even,
	// 256³ 21.6 → 19.4; AVX2 1024×27×16 27 → 44, 256×144×32 37 → 48.
	direct := !transA && kern.direct != nil && n <= 4*nr

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
				if direct {
					gemmMacroDirect(kern, bufs, a[ic*lda+pc:], lda, mb, nb, kb, alpha, betaBlk, c[ic*ldc+jc:], ldc)
					continue
				}
				gemmPackA(bufs.a, mr, transA, a, lda, ic, pc, mb, kb)
				gemmMacroKernel(kern, bufs, mb, nb, kb, alpha, betaBlk, c[ic*ldc+jc:], ldc)
			}
		}
	}
}

func gemmRoundUp(x, to int) int { return (x + to - 1) / to * to }

// gemmPanelWidth is the packed width of the B panel starting at column j of an
// nb-column block: nr, or nr/2 for a narrow tail when a half kernel exists.
func gemmPanelWidth(kern *Family, j, nb int) int {
	if kern.half != nil && nb-j <= kern.nr/2 {
		return kern.nr / 2
	}
	return kern.nr
}

// gemmMacroKernel runs the micro-kernel over an mb×nb block of C (c starts at
// the block's top-left). Edge tiles are computed into bufs.tile and merged.
func gemmMacroKernel(kern *Family, bufs *gemmBuffers, mb, nb, kb int, alpha, beta float32, c []float32, ldc int) {
	mr := kern.mr
	for j := 0; j < nb; j += kern.nr {
		w := gemmPanelWidth(kern, j, nb)
		fn := kern.full
		if w != kern.nr {
			fn = kern.half
		}
		cols := min(w, nb-j)
		bp := bufs.b[j*kb : j*kb+w*kb]
		full := mb / mr // whole tiles go straight to C
		if cols < w {
			full = 0
		}
		if full > 0 {
			fn(kb, full, bufs.a, bp, alpha, beta, c[j:], ldc)
		}
		for i := full * mr; i < mb; i += mr { // edge tiles
			rows := min(mr, mb-i)
			ap := bufs.a[i*kb : i*kb+mr*kb]
			if cols == kern.nr && rows < len(kern.rowTail) {
				kern.rowTail[rows](kb, 1, ap, bp, alpha, beta, c[i*ldc+j:], ldc)
				continue
			}
			t := bufs.tile[:mr*w]
			fn(kb, 1, ap, bp, 1, 0, t, w)
			gemmMergeTile(rows, cols, t, w, alpha, beta, c[i*ldc+j:], ldc)
		}
	}
}

// gemmMergeTile sets C = alpha*T + beta*C on a rows×cols edge tile (beta == 0
// does not read C).
func gemmMergeTile(rows, cols int, t []float32, ldt int, alpha, beta float32, c []float32, ldc int) {
	for r := 0; r < rows; r++ {
		tr := t[r*ldt : r*ldt+cols]
		cr := c[r*ldc : r*ldc+cols]
		if beta == 0 {
			for j, v := range tr {
				cr[j] = alpha * v
			}
			continue
		}
		for j, v := range tr {
			cr[j] = alpha*v + beta*cr[j]
		}
	}
}
