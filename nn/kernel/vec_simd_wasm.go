//go:build goexperiment.simd && wasm

package kernel

import "simd/archsimd"

// WebAssembly SIMD versions of vec.go's loops: four float32 lanes at a time
// (Float32x4), scalar tails. Sums keep float32 lanes within blocks of 64
// values and add the blocks in float64, as the portable versions do.

func ld4(s []float32) archsimd.Float32x4    { return archsimd.LoadFloat32x4Array((*[4]float32)(s)) }
func st4(v archsimd.Float32x4, s []float32) { v.StoreArray((*[4]float32)(s)) }

// Add computes dst[i] += src[i].
func Add(dst, src []float32) {
	src = src[:len(dst)]
	i := 0
	for ; i+16 <= len(dst); i += 16 {
		dq, sq := (*[16]float32)(dst[i:i+16]), (*[16]float32)(src[i:i+16])
		st4(ld4(dq[0:4]).Add(ld4(sq[0:4])), dq[0:4])
		st4(ld4(dq[4:8]).Add(ld4(sq[4:8])), dq[4:8])
		st4(ld4(dq[8:12]).Add(ld4(sq[8:12])), dq[8:12])
		st4(ld4(dq[12:16]).Add(ld4(sq[12:16])), dq[12:16])
	}
	for ; i+8 <= len(dst); i += 8 {
		st4(ld4(dst[i:i+4]).Add(ld4(src[i:i+4])), dst[i:i+4])
		st4(ld4(dst[i+4:i+8]).Add(ld4(src[i+4:i+8])), dst[i+4:i+8])
	}
	for ; i < len(dst); i++ {
		dst[i] += src[i]
	}
}

// ReLU computes dst[i] = max(x[i], 0).
func ReLU(dst, x []float32) {
	x = x[:len(dst)]
	var zero archsimd.Float32x4
	i := 0
	for ; i+16 <= len(dst); i += 16 { // unrolled: each loop back-edge is a dispatch in Go's wasm code
		xq, dq := (*[16]float32)(x[i:i+16]), (*[16]float32)(dst[i:i+16])
		st4(ld4(xq[0:4]).Max(zero), dq[0:4])
		st4(ld4(xq[4:8]).Max(zero), dq[4:8])
		st4(ld4(xq[8:12]).Max(zero), dq[8:12])
		st4(ld4(xq[12:16]).Max(zero), dq[12:16])
	}
	for ; i+4 <= len(dst); i += 4 {
		st4(ld4(x[i:i+4]).Max(zero), dst[i:i+4])
	}
	for ; i < len(dst); i++ {
		dst[i] = max(x[i], 0)
	}
}

// ReLUBack computes dx[i] = dy[i] where y[i] > 0, else 0.
func ReLUBack(dx, dy, y []float32) {
	dy, y = dy[:len(dx)], y[:len(dx)]
	var zero archsimd.Float32x4
	i := 0
	for ; i+16 <= len(dx); i += 16 {
		gq, yq, dq := (*[16]float32)(dy[i:i+16]), (*[16]float32)(y[i:i+16]), (*[16]float32)(dx[i:i+16])
		st4(ld4(gq[0:4]).Masked(ld4(yq[0:4]).Greater(zero)), dq[0:4])
		st4(ld4(gq[4:8]).Masked(ld4(yq[4:8]).Greater(zero)), dq[4:8])
		st4(ld4(gq[8:12]).Masked(ld4(yq[8:12]).Greater(zero)), dq[8:12])
		st4(ld4(gq[12:16]).Masked(ld4(yq[12:16]).Greater(zero)), dq[12:16])
	}
	for ; i+4 <= len(dx); i += 4 {
		st4(ld4(dy[i:i+4]).Masked(ld4(y[i:i+4]).Greater(zero)), dx[i:i+4])
	}
	for ; i < len(dx); i++ {
		if y[i] > 0 {
			dx[i] = dy[i]
		} else {
			dx[i] = 0
		}
	}
}

// Normalize computes xhat[i] = (x[i] − mu)·inv and y[i] = g·xhat[i] + b.
func Normalize(y, xhat, x []float32, mu, inv, g, b float32) {
	xhat, x = xhat[:len(y)], x[:len(y)]
	vmu, vinv := archsimd.BroadcastFloat32x4(mu), archsimd.BroadcastFloat32x4(inv)
	vg, vb := archsimd.BroadcastFloat32x4(g), archsimd.BroadcastFloat32x4(b)
	i := 0
	for ; i+16 <= len(y); i += 16 { // unrolled: each loop back-edge is a dispatch in Go's wasm code
		xq, hq, yq := (*[16]float32)(x[i:i+16]), (*[16]float32)(xhat[i:i+16]), (*[16]float32)(y[i:i+16])
		z0, z1 := ld4(xq[0:4]).Sub(vmu).Mul(vinv), ld4(xq[4:8]).Sub(vmu).Mul(vinv)
		z2, z3 := ld4(xq[8:12]).Sub(vmu).Mul(vinv), ld4(xq[12:16]).Sub(vmu).Mul(vinv)
		st4(z0, hq[0:4])
		st4(z1, hq[4:8])
		st4(z2, hq[8:12])
		st4(z3, hq[12:16])
		st4(vg.Mul(z0).Add(vb), yq[0:4])
		st4(vg.Mul(z1).Add(vb), yq[4:8])
		st4(vg.Mul(z2).Add(vb), yq[8:12])
		st4(vg.Mul(z3).Add(vb), yq[12:16])
	}
	for ; i+4 <= len(y); i += 4 {
		z := ld4(x[i : i+4]).Sub(vmu).Mul(vinv)
		st4(z, xhat[i:i+4])
		st4(vg.Mul(z).Add(vb), y[i:i+4])
	}
	for ; i < len(y); i++ {
		z := (x[i] - mu) * inv
		xhat[i] = z
		y[i] = g*z + b
	}
}

// NormalizeBack computes dx[i] = k·(dy[i] − mdy − xhat[i]·mdyx).
func NormalizeBack(dx, dy, xhat []float32, k, mdy, mdyx float32) {
	dy, xhat = dy[:len(dx)], xhat[:len(dx)]
	vk, vm, vmx := archsimd.BroadcastFloat32x4(k), archsimd.BroadcastFloat32x4(mdy), archsimd.BroadcastFloat32x4(mdyx)
	i := 0
	for ; i+16 <= len(dx); i += 16 {
		gq, hq, dq := (*[16]float32)(dy[i:i+16]), (*[16]float32)(xhat[i:i+16]), (*[16]float32)(dx[i:i+16])
		st4(vk.Mul(ld4(gq[0:4]).Sub(vm).Sub(ld4(hq[0:4]).Mul(vmx))), dq[0:4])
		st4(vk.Mul(ld4(gq[4:8]).Sub(vm).Sub(ld4(hq[4:8]).Mul(vmx))), dq[4:8])
		st4(vk.Mul(ld4(gq[8:12]).Sub(vm).Sub(ld4(hq[8:12]).Mul(vmx))), dq[8:12])
		st4(vk.Mul(ld4(gq[12:16]).Sub(vm).Sub(ld4(hq[12:16]).Mul(vmx))), dq[12:16])
	}
	for ; i+4 <= len(dx); i += 4 {
		d := ld4(dy[i : i+4]).Sub(vm).Sub(ld4(xhat[i : i+4]).Mul(vmx))
		st4(vk.Mul(d), dx[i:i+4])
	}
	for ; i < len(dx); i++ {
		dx[i] = k * (dy[i] - mdy - xhat[i]*mdyx)
	}
}

// hsum adds the four lanes in float64.
func hsum(v archsimd.Float32x4) float64 {
	return float64(v.GetElem(0)+v.GetElem(1)) + float64(v.GetElem(2)+v.GetElem(3))
}

// Sum returns Σ x in float64.
func Sum(x []float32) float64 {
	var total float64
	for len(x) >= 64 {
		b := (*[64]float32)(x) // straight-line: Go does not unroll loops
		s0 := ld4(b[0:4]).Add(ld4(b[16:20])).Add(ld4(b[32:36]).Add(ld4(b[48:52])))
		s1 := ld4(b[4:8]).Add(ld4(b[20:24])).Add(ld4(b[36:40]).Add(ld4(b[52:56])))
		s2 := ld4(b[8:12]).Add(ld4(b[24:28])).Add(ld4(b[40:44]).Add(ld4(b[56:60])))
		s3 := ld4(b[12:16]).Add(ld4(b[28:32])).Add(ld4(b[44:48]).Add(ld4(b[60:64])))
		total += hsum(s0.Add(s1).Add(s2.Add(s3)))
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
	vmu := archsimd.BroadcastFloat32x4(mu)
	for len(x) >= 64 {
		var s0, s1 archsimd.Float32x4
		for i := 0; i < 64; i += 16 {
			b := (*[16]float32)(x[i : i+16])
			d0, d1 := ld4(b[0:4]).Sub(vmu), ld4(b[4:8]).Sub(vmu)
			d2, d3 := ld4(b[8:12]).Sub(vmu), ld4(b[12:16]).Sub(vmu)
			s0 = s0.Add(d0.Mul(d0)).Add(d2.Mul(d2))
			s1 = s1.Add(d1.Mul(d1)).Add(d3.Mul(d3))
		}
		total += hsum(s0.Add(s1))
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
		var a, b archsimd.Float32x4
		for i := 0; i < 64; i += 16 {
			gq, xq := (*[16]float32)(g[i:i+16]), (*[16]float32)(x[i:i+16])
			g0, g1, g2, g3 := ld4(gq[0:4]), ld4(gq[4:8]), ld4(gq[8:12]), ld4(gq[12:16])
			a = a.Add(g0.Add(g1).Add(g2.Add(g3)))
			b = b.Add(g0.Mul(ld4(xq[0:4])).Add(g1.Mul(ld4(xq[4:8]))).Add(g2.Mul(ld4(xq[8:12])).Add(g3.Mul(ld4(xq[12:16])))))
		}
		sg += hsum(a)
		sgx += hsum(b)
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
	vlr, vd := archsimd.BroadcastFloat32x4(lr), archsimd.BroadcastFloat32x4(decay)
	i := 0
	for ; i+8 <= len(theta); i += 8 {
		tq, gq := (*[8]float32)(theta[i:i+8]), (*[8]float32)(grad[i:i+8])
		t0, t1 := ld4(tq[0:4]), ld4(tq[4:8])
		st4(t0.Sub(vlr.Mul(ld4(gq[0:4]).Add(vd.Mul(t0)))), tq[0:4])
		st4(t1.Sub(vlr.Mul(ld4(gq[4:8]).Add(vd.Mul(t1)))), tq[4:8])
	}
	for ; i < len(theta); i++ {
		theta[i] -= lr * (grad[i] + decay*theta[i])
	}
}

// SGDMomentum is one SGD step with momentum μ on θ with gradient g and
// momentum buffer v (see SGD): g' = g + decay·θ, v ← μv + g',
// θ −= lr·(g' + μv) with Nesterov, else θ −= lr·v. The same float32
// operations as the portable loop, so the same results.
func SGDMomentum(theta, grad, v []float32, lr, mu, decay float32, nesterov bool) {
	grad, v = grad[:len(theta)], v[:len(theta)]
	vlr, vmu, vd := archsimd.BroadcastFloat32x4(lr), archsimd.BroadcastFloat32x4(mu), archsimd.BroadcastFloat32x4(decay)
	i := 0
	for ; i+8 <= len(theta); i += 8 {
		tq, gq, vq := (*[8]float32)(theta[i:i+8]), (*[8]float32)(grad[i:i+8]), (*[8]float32)(v[i:i+8])
		for h := 0; h < 8; h += 4 {
			t := ld4(tq[h : h+4])
			g := ld4(gq[h : h+4]).Add(vd.Mul(t))
			m := vmu.Mul(ld4(vq[h : h+4])).Add(g)
			st4(m, vq[h:h+4])
			if nesterov {
				g = g.Add(vmu.Mul(m))
			} else {
				g = m
			}
			st4(t.Sub(vlr.Mul(g)), tq[h:h+4])
		}
	}
	for ; i < len(theta); i++ {
		g := grad[i] + decay*theta[i]
		v[i] = mu*v[i] + g
		if nesterov {
			g += mu * v[i]
		} else {
			g = v[i]
		}
		theta[i] -= lr * g
	}
}
