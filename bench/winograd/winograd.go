// Package winograd is a measured prototype for the kernels' owners, not
// used by Tessera: the Winograd F(2×2, 3×3) forward convolution (Lavin &
// Gray, "Fast Algorithms for Convolutional Neural Networks", 2016) on
// nn/kernel's Sgemm, to see whether it would speed up the reference net's
// 3×3 layers.
//
// For each 4×4 input tile d (stride 2, overlapping) and 3×3 kernel g, the
// 2×2 output tile is Aᵀ[(G g Gᵀ) ⊙ (Bᵀ d B)]A. Summed over input channels,
// the 16 elementwise products become 16 GEMMs M[ξ] = U[ξ]·V[ξ] of (O×C) by
// (C×P), P = N·H·W/4 tiles: 16·O·C·P multiplies against 9·O·C·N·H·W for
// direct convolution, 2.25× fewer. The transforms are additions only.
//
// Measured under node with GOEXPERIMENT=simd (BenchmarkForward, CPU time
// per batch of 32): at the reference conv2 (16→32, 16×16) the 16 GEMMs take
// 3.2 ms against 6.1 ms for nn.Conv2D.Forward, but the scalar transforms add
// 4.3 ms (7.5 ms in all); at conv3 (32→64, 8×8) 2.1 ms of GEMMs, 5.9 ms in
// all against 6.5 ms. So Winograd pays off in Go wasm only with SIMD
// transforms (four tiles per Float32x4).
package winograd

import "github.com/tessera-ssl/tessera/nn/kernel"

// Conv holds the transformed weights and inputs between calls, so a
// steady-state Forward allocates nothing.
type Conv struct {
	u, v, m, pad []float32
}

// Forward computes y = W ⊛ x + b for x (N, C, H, W) with H and W even,
// weights wt (O, C, 3, 3) in OIHW order, stride 1 and zero padding 1, into y
// (N, O, H, W): the same result as nn.Conv2D up to float rounding.
func (wz *Conv) Forward(x []float32, n, c, h, w int, wt, bias []float32, o int, y []float32) {
	if h%2 != 0 || w%2 != 0 || len(x) != n*c*h*w || len(wt) != o*c*9 || len(bias) != o || len(y) != n*o*h*w {
		panic("winograd: Forward: bad shapes")
	}
	th, tw := h/2, w/2
	p := n * th * tw
	wz.u = resize(wz.u, 16*o*c)
	wz.v = resize(wz.v, 16*c*p)
	wz.m = resize(wz.m, 16*o*p)
	oc16 := o * c
	for oc := range o {
		for ci := range c {
			g := (*[9]float32)(wt[(oc*c+ci)*9:])
			var t [12]float32 // G g, 4×3
			for j := range 3 {
				g0, g1, g2 := g[j], g[3+j], g[6+j]
				t[j], t[3+j], t[6+j], t[9+j] = g0, (g0+g1+g2)*0.5, (g0-g1+g2)*0.5, g2
			}
			base := oc*c + ci
			for i := range 4 {
				g0, g1, g2 := t[3*i], t[3*i+1], t[3*i+2]
				wz.u[(4*i+0)*oc16+base] = g0
				wz.u[(4*i+1)*oc16+base] = (g0 + g1 + g2) * 0.5
				wz.u[(4*i+2)*oc16+base] = (g0 - g1 + g2) * 0.5
				wz.u[(4*i+3)*oc16+base] = g2
			}
		}
	}
	pw := w + 2
	wz.pad = resize(wz.pad, (h+2)*pw)
	clear(wz.pad)
	hw := h * w
	cp := c * p
	for ni := range n {
		for ci := range c {
			plane := x[(ni*c+ci)*hw : (ni*c+ci+1)*hw]
			for yy := range h {
				copy(wz.pad[(yy+1)*pw+1:(yy+1)*pw+1+w], plane[yy*w:yy*w+w])
			}
			vb := ci*p + ni*th*tw
			for ty := range th {
				r0 := wz.pad[(2*ty)*pw : (2*ty)*pw+pw]
				r1 := wz.pad[(2*ty+1)*pw : (2*ty+1)*pw+pw]
				r2 := wz.pad[(2*ty+2)*pw : (2*ty+2)*pw+pw]
				r3 := wz.pad[(2*ty+3)*pw : (2*ty+3)*pw+pw]
				col := vb + ty*tw
				for tx := range tw {
					j := 2 * tx
					a0, a1, a2, a3 := r0[j], r0[j+1], r0[j+2], r0[j+3]
					b0, b1, b2, b3 := r1[j], r1[j+1], r1[j+2], r1[j+3]
					c0, c1, c2, c3 := r2[j], r2[j+1], r2[j+2], r2[j+3]
					d0, d1, d2, d3 := r3[j], r3[j+1], r3[j+2], r3[j+3]
					// Bᵀ d: rows t0 = d0−d2, t1 = d1+d2, t2 = d2−d1, t3 = d1−d3
					t00, t01, t02, t03 := a0-c0, a1-c1, a2-c2, a3-c3
					t10, t11, t12, t13 := b0+c0, b1+c1, b2+c2, b3+c3
					t20, t21, t22, t23 := c0-b0, c1-b1, c2-b2, c3-b3
					t30, t31, t32, t33 := b0-d0, b1-d1, b2-d2, b3-d3
					v := wz.v[col+tx:]
					v[0*cp], v[1*cp], v[2*cp], v[3*cp] = t00-t02, t01+t02, t02-t01, t01-t03
					v[4*cp], v[5*cp], v[6*cp], v[7*cp] = t10-t12, t11+t12, t12-t11, t11-t13
					v[8*cp], v[9*cp], v[10*cp], v[11*cp] = t20-t22, t21+t22, t22-t21, t21-t23
					v[12*cp], v[13*cp], v[14*cp], v[15*cp] = t30-t32, t31+t32, t32-t31, t31-t33
				}
			}
		}
	}
	for xi := range 16 {
		kernel.Sgemm(false, false, o, p, c, 1, wz.u[xi*o*c:(xi+1)*o*c], c, wz.v[xi*cp:(xi+1)*cp], p, 0, wz.m[xi*o*p:(xi+1)*o*p], p)
	}
	op := o * p
	for oc := range o {
		b := bias[oc]
		for ni := range n {
			out := y[(ni*o+oc)*hw : (ni*o+oc+1)*hw]
			for ty := range th {
				col := oc*p + (ni*th+ty)*tw
				o0 := out[(2*ty)*w : (2*ty)*w+w]
				o1 := out[(2*ty+1)*w : (2*ty+1)*w+w]
				for tx := range tw {
					m := wz.m[col+tx:]
					m00, m01, m02, m03 := m[0*op], m[1*op], m[2*op], m[3*op]
					m10, m11, m12, m13 := m[4*op], m[5*op], m[6*op], m[7*op]
					m20, m21, m22, m23 := m[8*op], m[9*op], m[10*op], m[11*op]
					m30, m31, m32, m33 := m[12*op], m[13*op], m[14*op], m[15*op]
					s0, s1, s2, s3 := m00+m10+m20, m01+m11+m21, m02+m12+m22, m03+m13+m23
					e0, e1, e2, e3 := m10-m20-m30, m11-m21-m31, m12-m22-m32, m13-m23-m33
					o0[2*tx], o0[2*tx+1] = s0+s1+s2+b, s1-s2-s3+b
					o1[2*tx], o1[2*tx+1] = e0+e1+e2+b, e1-e2-e3+b
				}
			}
		}
	}
}

func resize(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}
