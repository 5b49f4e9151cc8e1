package kernel

import (
	"math"
	"math/rand/v2"
	"testing"
)

// The elementwise kernels (SIMD under GOEXPERIMENT=simd on wasm) must match
// their definitions at every length, so that vector bodies and scalar tails
// are both exercised.
func TestVecKernels(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-5*(1+math.Abs(b)) }
	for n := 0; n <= 140; n++ {
		x, y, g := normals(rng, n), normals(rng, n), normals(rng, n)
		x0 := append([]float32(nil), x...)
		if n > 3 {
			x[n/2] = 0 // ReLU's kink belongs to the zero side
		}

		dst := append([]float32(nil), y...)
		Add(dst, x)
		for i := range n {
			if dst[i] != y[i]+x[i] {
				t.Fatalf("n=%d: Add[%d] = %v, want %v", n, i, dst[i], y[i]+x[i])
			}
		}
		ReLU(dst, x)
		for i := range n {
			if dst[i] != max(x[i], 0) {
				t.Fatalf("n=%d: ReLU[%d] = %v, want %v", n, i, dst[i], max(x[i], 0))
			}
		}
		ReLUBack(dst, g, x)
		for i := range n {
			want := float32(0)
			if x[i] > 0 {
				want = g[i]
			}
			if dst[i] != want {
				t.Fatalf("n=%d: ReLUBack[%d] = %v, want %v", n, i, dst[i], want)
			}
		}
		xh := make([]float32, n)
		Normalize(dst, xh, x0, 0.3, 1.7, -0.8, 0.25)
		for i := range n {
			z := (float64(x0[i]) - 0.3) * 1.7
			if !close(float64(xh[i]), z) || !close(float64(dst[i]), -0.8*z+0.25) {
				t.Fatalf("n=%d: Normalize[%d] = %v, %v, want %v, %v", n, i, xh[i], dst[i], z, -0.8*z+0.25)
			}
		}
		NormalizeBack(dst, g, xh, 1.3, 0.1, -0.4)
		for i := range n {
			want := 1.3 * (float64(g[i]) - 0.1 + float64(xh[i])*0.4)
			if !close(float64(dst[i]), want) {
				t.Fatalf("n=%d: NormalizeBack[%d] = %v, want %v", n, i, dst[i], want)
			}
		}
		var s, ssd, sg, sgx float64
		for i := range n {
			s += float64(x0[i])
			d := float64(x0[i]) - 0.5
			ssd += d * d
			sg += float64(g[i])
			sgx += float64(g[i]) * float64(x0[i])
		}
		a, b := SumDot(g, x0)
		tol := 1e-5 * float64(n+1)
		if math.Abs(Sum(x0)-s) > tol || math.Abs(SumSqDev(x0, 0.5)-ssd) > tol ||
			math.Abs(a-sg) > tol || math.Abs(b-sgx) > tol {
			t.Fatalf("n=%d: sums %v %v %v %v, want %v %v %v %v", n,
				Sum(x0), SumSqDev(x0, 0.5), a, b, s, ssd, sg, sgx)
		}
	}
}

// TestVecSGD checks the SGD updates (SIMD under GOEXPERIMENT=simd on wasm)
// against the update rule at every length up to 40, with and without
// Nesterov momentum and weight decay.
func TestVecSGD(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const lr, mu, decay = 0.1, 0.9, 0.01
	for n := 0; n <= 40; n++ {
		for _, nesterov := range []bool{false, true} {
			theta, grad, v := normals(rng, n), normals(rng, n), normals(rng, n)
			wantT, wantV := make([]float64, n), make([]float64, n)
			for i := range n {
				g := float64(grad[i]) + decay*float64(theta[i])
				wantV[i] = mu*float64(v[i]) + g
				d := wantV[i]
				if nesterov {
					d = g + mu*wantV[i]
				}
				wantT[i] = float64(theta[i]) - lr*d
			}
			plain := append([]float32(nil), theta...)
			SGDMomentum(theta, grad, v, lr, mu, decay, nesterov)
			for i := range n {
				if math.Abs(float64(theta[i])-wantT[i]) > 1e-6 || math.Abs(float64(v[i])-wantV[i]) > 1e-6 {
					t.Fatalf("n=%d nesterov=%v: θ[%d], v[%d] = %v, %v, want %v, %v", n, nesterov, i, i, theta[i], v[i], wantT[i], wantV[i])
				}
			}
			want := make([]float64, n)
			for i := range n {
				want[i] = float64(plain[i]) - lr*(float64(grad[i])+decay*float64(plain[i]))
			}
			SGD(plain, grad, lr, decay)
			for i := range n {
				if math.Abs(float64(plain[i])-want[i]) > 1e-6 {
					t.Fatalf("n=%d: SGD θ[%d] = %v, want %v", n, i, plain[i], want[i])
				}
			}
		}
	}
}
