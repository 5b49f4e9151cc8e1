package kernel

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// gemmCase is one Sgemm problem; pad widens each row stride beyond its minimum.
type gemmCase struct {
	transA, transB bool
	m, n, k        int
	alpha, beta    float32
	pad            int
}

func (tc gemmCase) String() string {
	return fmt.Sprintf("tA=%v,tB=%v,m=%d,n=%d,k=%d,alpha=%g,beta=%g,pad=%d",
		tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, tc.beta, tc.pad)
}

// gemmOperands builds A, B, C for tc with random entries; C's padding
// columns hold a sentinel so writes outside the m×n region can be detected,
// and C is NaN-filled when beta == 0 (which must overwrite, not scale).
func gemmOperands(tc gemmCase, rng *rand.Rand) (a []float32, lda int, b []float32, ldb int, c []float32, ldc int) {
	ar, ac := tc.m, tc.k
	if tc.transA {
		ar, ac = tc.k, tc.m
	}
	br, bc := tc.k, tc.n
	if tc.transB {
		br, bc = tc.n, tc.k
	}
	lda, ldb, ldc = max(ac, 1)+tc.pad, max(bc, 1)+tc.pad, tc.n+tc.pad
	// Slices end right after the last element (no padding after the last
	// row), so any read or write past a matrix panics.
	a = gemmRandSlice(rng, gemmMinLen(ar, ac, lda))
	b = gemmRandSlice(rng, gemmMinLen(br, bc, ldb))
	c = gemmRandSlice(rng, gemmMinLen(tc.m, tc.n, ldc))
	for i := range tc.m {
		for j := range min(ldc, len(c)-i*ldc) {
			switch {
			case j >= tc.n:
				c[i*ldc+j] = gemmSentinel
			case tc.beta == 0:
				c[i*ldc+j] = float32(math.NaN())
			}
		}
	}
	return
}

const gemmSentinel = 12345.5

// gemmMinLen is the shortest slice holding a rows×cols matrix of stride ld.
func gemmMinLen(rows, cols, ld int) int {
	if rows == 0 || cols == 0 {
		return 0
	}
	return (rows-1)*ld + cols
}

func gemmRandSlice(rng *rand.Rand, n int) []float32 {
	s := make([]float32, n)
	for i := range s {
		s[i] = rng.Float32()*2 - 1
	}
	return s
}

// checkGemm runs fn on tc and compares C with gonum blas32 on the same
// inputs, to a tolerance relative to alpha*|A||B| + |beta*C|, computed in
// float64. It also checks that padding columns of C are untouched.
func checkGemm(t *testing.T, name string, fn sgemmFunc, tc gemmCase, rng *rand.Rand) {
	t.Helper()
	a, lda, b, ldb, c, ldc := gemmOperands(tc, rng)
	want := append([]float32(nil), c...)
	got := append([]float32(nil), c...)
	fn(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
	sgemmGonum(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, want, ldc)
	at := func(i, p int) float64 {
		if tc.transA {
			return float64(a[p*lda+i])
		}
		return float64(a[i*lda+p])
	}
	bt := func(p, j int) float64 {
		if tc.transB {
			return float64(b[j*ldb+p])
		}
		return float64(b[p*ldb+j])
	}
	for i := range tc.m {
		for j := range min(ldc, len(c)-i*ldc) {
			g, w := got[i*ldc+j], want[i*ldc+j]
			if j >= tc.n {
				if g != gemmSentinel {
					t.Fatalf("%s %v: C[%d,%d] outside n was written: %g", name, tc, i, j, g)
				}
				continue
			}
			scale := 0.0
			for p := range tc.k {
				scale += math.Abs(at(i, p) * bt(p, j))
			}
			scale *= math.Abs(float64(tc.alpha))
			if tc.beta != 0 {
				scale += math.Abs(float64(tc.beta * c[i*ldc+j]))
			}
			if d := math.Abs(float64(g - w)); !(d <= 1e-5*scale+1e-6) {
				t.Fatalf("%s %v: C[%d,%d] = %g, gonum %g (|diff| %g, scale %g)", name, tc, i, j, g, w, d, scale)
			}
		}
	}
}

var gemmAlphaBeta = [][2]float32{{1, 0}, {1, 1}, {-0.5, 0}, {2, -1.5}, {0.75, 0.25}}

// TestSgemmKernelsSmall covers every tail: all trans combinations, m, n, k
// across 1..20 (several multiples of the tile sizes plus remainders),
// padded strides and the alpha/beta variants.
func TestSgemmKernelsSmall(t *testing.T) {
	ms := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13, 16, 17, 20}
	ns := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13, 15, 16, 17, 20}
	ks := []int{1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 19}
	for _, impl := range gemmImpls {
		t.Run(impl.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			idx := 0
			for _, m := range ms {
				for _, n := range ns {
					for _, k := range ks {
						for tr := range 4 {
							ab := gemmAlphaBeta[idx%len(gemmAlphaBeta)]
							tc := gemmCase{tr&1 == 1, tr&2 == 2, m, n, k, ab[0], ab[1], idx % 3}
							checkGemm(t, impl.name, impl.fn, tc, rng)
							idx++
						}
					}
				}
			}
		})
	}
}

// TestSgemmKernelsLarge crosses the cache-block boundaries (k > gemmKC,
// n > gemmNC, m > mc) where k blocks accumulate onto the first.
func TestSgemmKernelsLarge(t *testing.T) {
	cases := []gemmCase{
		{false, false, 101, 37, 300, 1, 0, 0},
		{true, false, 70, 523, 33, 1, 1, 3},
		{false, true, 130, 19, 270, 0.5, -2, 1},
		{true, true, 97, 41, 513, -1, 0.5, 2},
		{false, false, 1024, 16, 27, 1, 0, 0},
	}
	for _, impl := range gemmImpls {
		t.Run(impl.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			for _, tc := range cases {
				checkGemm(t, impl.name, impl.fn, tc, rng)
			}
		})
	}
}

// TestSgemmDegenerate checks the paths Sgemm handles itself: k == 0 and
// alpha == 0 only scale C (beta == 0 overwriting NaN), m or n == 0 is a no-op.
func TestSgemmDegenerate(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, tc := range []gemmCase{
		{false, false, 3, 5, 0, 1, 0, 1},
		{true, true, 4, 2, 0, 1, 2, 0},
		{false, true, 3, 3, 4, 0, 0, 0},
		{true, false, 2, 7, 5, 0, -0.5, 2},
	} {
		a, lda, b, ldb, c, ldc := gemmOperands(tc, rng)
		got := append([]float32(nil), c...)
		Sgemm(tc.transA, tc.transB, tc.m, tc.n, tc.k, tc.alpha, a, lda, b, ldb, tc.beta, got, ldc)
		for i := range tc.m {
			for j := range min(ldc, len(c)-i*ldc) {
				want := c[i*ldc+j]
				switch {
				case j >= tc.n:
				case tc.beta == 0:
					want = 0
				default:
					want *= tc.beta
				}
				if g := got[i*ldc+j]; g != want {
					t.Fatalf("%v: C[%d,%d] = %g, want %g", tc, i, j, g, want)
				}
			}
		}
	}
	c := []float32{1, 2}
	Sgemm(false, false, 0, 2, 3, 1, nil, 3, []float32{1, 2, 3, 4, 5, 6}, 2, 0, c, 2)
	Sgemm(false, false, 1, 0, 3, 1, []float32{1, 2, 3}, 3, nil, 1, 0, c, 1)
	if c[0] != 1 || c[1] != 2 {
		t.Fatalf("m or n == 0 changed C: %v", c)
	}
}

// TestSgemmMatchesKernels runs the public entry point on a mid-size case
// against gonum, whichever kernel this build selected.
func TestSgemmMatchesKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for tr := range 4 {
		tc := gemmCase{tr&1 == 1, tr&2 == 2, 45, 33, 29, 1.5, 0.5, 1}
		checkGemm(t, "Sgemm", Sgemm, tc, rng)
	}
}

// TestSgemmPanicsOnBadShape checks the programmer-error panics.
func TestSgemmPanicsOnBadShape(t *testing.T) {
	for name, call := range map[string]func(){
		"short A": func() {
			Sgemm(false, false, 2, 2, 2, 1, make([]float32, 3), 2, make([]float32, 4), 2, 0, make([]float32, 4), 2)
		},
		"bad lda": func() {
			Sgemm(false, false, 2, 2, 3, 1, make([]float32, 6), 2, make([]float32, 6), 2, 0, make([]float32, 4), 2)
		},
		"short C": func() {
			Sgemm(true, true, 2, 2, 2, 1, make([]float32, 4), 2, make([]float32, 4), 2, 0, make([]float32, 3), 2)
		},
		"negative": func() { Sgemm(false, false, -1, 2, 2, 1, nil, 2, nil, 2, 0, nil, 2) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s: no panic", name)
				}
			}()
			call()
		}()
	}
}

// TestSgemmNoAllocSteadyState checks that repeated calls reuse the packing
// buffers.
func TestSgemmNoAllocSteadyState(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	m, n, k := 64, 48, 80
	a, b, c := gemmRandSlice(rng, m*k), gemmRandSlice(rng, k*n), gemmRandSlice(rng, m*n)
	Sgemm(false, true, m, n, k, 1, a, k, b, k, 0, c, n)
	allocs := testing.AllocsPerRun(10, func() {
		Sgemm(false, true, m, n, k, 1, a, k, b, k, 0, c, n)
		Sgemm(true, false, m, n, k, 1, a, m, b, n, 1, c, n)
	})
	if allocs != 0 {
		t.Fatalf("Sgemm allocates %v times per call pair in steady state", allocs)
	}
}

// TestSgemmConcurrent runs Sgemm from several goroutines at once (the
// shared packing buffers must not be shared); run with -race natively.
func TestSgemmConcurrent(t *testing.T) {
	const workers = 4
	m, n, k := 37, 29, 300
	rng := rand.New(rand.NewPCG(11, 12))
	a, b := gemmRandSlice(rng, m*k), gemmRandSlice(rng, k*n)
	want := make([]float32, m*n)
	Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, want, n)
	errs := make(chan error, workers)
	for range workers {
		go func() {
			c := make([]float32, m*n)
			for range 20 {
				Sgemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n)
				for i := range c {
					if c[i] != want[i] {
						errs <- fmt.Errorf("C[%d] = %g, want %g", i, c[i], want[i])
						return
					}
				}
			}
			errs <- nil
		}()
	}
	for range workers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
