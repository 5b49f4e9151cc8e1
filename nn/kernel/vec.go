//go:build !(goexperiment.simd && wasm)

package kernel

import (
	"math"
	"runtime"
)

// Elementwise loops of the layers (Col2im, batch norm, ReLU), portable
// versions; vec_simd_wasm.go has WebAssembly SIMD ones with the same
// results up to float32 summation order. Every function reads and writes
// len(dst) (or len(x)) elements.

// Add computes dst[i] += src[i].
func Add(dst, src []float32) {
	src = src[:len(dst)]
	for i, v := range src {
		dst[i] += v
	}
}

// ReLU computes dst[i] = max(x[i], 0), branch-free: the builtin max
// natively, clearing negatives by their sign bit on wasm (where max is a
// runtime call).
func ReLU(dst, x []float32) {
	x = x[:len(dst)]
	if runtime.GOARCH == "wasm" {
		for i, v := range x {
			b := math.Float32bits(v)
			dst[i] = math.Float32frombits(b &^ uint32(int32(b)>>31))
		}
		return
	}
	for i, v := range x {
		dst[i] = max(v, 0)
	}
}

// ReLUBack computes dx[i] = dy[i] where y[i] > 0, else 0. It masks the
// bits instead of branching: signs of random activations defeat prediction.
func ReLUBack(dx, dy, y []float32) {
	dy, y = dy[:len(dx)], y[:len(dx)]
	for i, g := range dy {
		mask := -uint32(b2i(y[i] > 0)) // all ones or zero
		dx[i] = math.Float32frombits(math.Float32bits(g) & mask)
	}
}

// Normalize computes xhat[i] = (x[i] − mu)·inv and y[i] = g·xhat[i] + b.
func Normalize(y, xhat, x []float32, mu, inv, g, b float32) {
	xhat, x = xhat[:len(y)], x[:len(y)]
	for i, v := range x {
		z := (v - mu) * inv
		xhat[i] = z
		y[i] = g*z + b
	}
}

// NormalizeBack computes dx[i] = k·(dy[i] − mdy − xhat[i]·mdyx).
func NormalizeBack(dx, dy, xhat []float32, k, mdy, mdyx float32) {
	dy, xhat = dy[:len(dx)], xhat[:len(dx)]
	for i, g := range dy {
		dx[i] = k * (g - mdy - xhat[i]*mdyx)
	}
}

// Sum returns Σ x in float64, accumulated in four float32 lanes per block
// of 64 values so the loop pipelines.
func Sum(x []float32) float64 {
	var total float64
	for len(x) >= 64 {
		var s0, s1, s2, s3 float32
		b := x[:64]
		for i := 0; i < 64; i += 4 {
			s0 += b[i]
			s1 += b[i+1]
			s2 += b[i+2]
			s3 += b[i+3]
		}
		total += float64(s0+s1) + float64(s2+s3)
		x = x[64:]
	}
	for _, v := range x {
		total += float64(v)
	}
	return total
}

// SumSqDev returns Σ (x − mu)² in float64.
func SumSqDev(x []float32, mu float32) float64 {
	var total float64
	for len(x) >= 64 {
		var s0, s1, s2, s3 float32
		b := x[:64]
		for i := 0; i < 64; i += 4 {
			d0, d1, d2, d3 := b[i]-mu, b[i+1]-mu, b[i+2]-mu, b[i+3]-mu
			s0 += d0 * d0
			s1 += d1 * d1
			s2 += d2 * d2
			s3 += d3 * d3
		}
		total += float64(s0+s1) + float64(s2+s3)
		x = x[64:]
	}
	for _, v := range x {
		d := float64(v - mu)
		total += d * d
	}
	return total
}

// SumDot returns Σ g and Σ g·x in float64.
func SumDot(g, x []float32) (sg, sgx float64) {
	x = x[:len(g)]
	for len(g) >= 64 {
		var a0, a1, b0, b1 float32
		gb, xb := g[:64], x[:64]
		for i := 0; i < 64; i += 2 {
			a0 += gb[i]
			a1 += gb[i+1]
			b0 += gb[i] * xb[i]
			b1 += gb[i+1] * xb[i+1]
		}
		sg += float64(a0 + a1)
		sgx += float64(b0 + b1)
		g, x = g[64:], x[64:]
	}
	for i, v := range g {
		sg += float64(v)
		sgx += float64(v) * float64(x[i])
	}
	return sg, sgx
}

// SGD computes θ[i] −= lr·(g[i] + decay·θ[i]) (SGD without momentum).
func SGD(theta, grad []float32, lr, decay float32) {
	grad = grad[:len(theta)]
	for i, g := range grad {
		theta[i] -= lr * (g + decay*theta[i])
	}
}

// SGDMomentum is one SGD step with momentum μ on θ with gradient g and
// momentum buffer v (see SGD): g' = g + decay·θ, v ← μv + g',
// θ −= lr·(g' + μv) with Nesterov, else θ −= lr·v.
func SGDMomentum(theta, grad, v []float32, lr, mu, decay float32, nesterov bool) {
	grad, v = grad[:len(theta)], v[:len(theta)]
	for i, g := range grad {
		g += decay * theta[i]
		v[i] = mu*v[i] + g
		if nesterov {
			g += mu * v[i]
		} else {
			g = v[i]
		}
		theta[i] -= lr * g
	}
}
