package nn

import (
	"fmt"
	"math"
)

// IgnoreLabel marks a position that contributes nothing to a classification
// loss, its gradient or its accuracy (PyTorch's ignore_index, fixed at -1).
const IgnoreLabel = -1

// SoftmaxCrossEntropy is the softmax cross-entropy loss over K classes, for
// whole-image classification (logits of shape (N, K)) or per-position
// classification (logits of shape (N, K, H, W): K classes at each of the H·W
// positions of each image, as in colorization).
//
// For a position with logits z, label y and target distribution
//
//	q_k = (1 − ε)·[k = y] + ε/K        (ε = Smoothing; q is one-hot when ε = 0)
//
// the loss is ℓ = −Σ_k q_k log softmax(z)_k = logsumexp(z) − Σ_k q_k z_k, and
// ∂ℓ/∂z_k = softmax(z)_k − q_k. The batch loss is the weighted mean
//
//	L = Σ_i w[y_i]·ℓ_i / Σ_i w[y_i]
//
// over non-ignored positions i, with w = ClassWeights (all ones when nil).
// This is PyTorch's weighted-mean convention for cross_entropy with weight=;
// note that with both smoothing and weights PyTorch also weights the ε/K
// terms per class, whereas here the whole position is weighted by w[y].
// When no position counts (all ignored, or zero total weight) L = 0 and the
// gradient is zero, where PyTorch would return NaN.
//
// A SoftmaxCrossEntropy keeps scratch space between calls, so one value must
// not be used by two goroutines at once.
type SoftmaxCrossEntropy struct {
	Smoothing    float32   // ε in [0, 1]
	ClassWeights []float32 // nil, or K non-negative weights

	max, sum []float64 // per-position scratch: max logit, Σ exp(z − max)
	total    float64   // Σ w[y] of the last Forward's counted positions
}

// Total returns the normaliser of the last Forward: the total weight
// Σ_i w[y_i] of its non-ignored positions (their count without
// ClassWeights), 0 when none counted. Data-parallel replicas combine their
// shards' losses with it.
func (l *SoftmaxCrossEntropy) Total() float64 { return l.total }

// Forward returns the loss L for logits and labels, and the number of counted
// positions whose argmax (the first, on ties) equals the label.
//
// logits is (N, K) or (N, K, H, W); labels has one entry per position (N, or
// N·H·W in n, h, w order), each in [0, K) or IgnoreLabel. When dlogits is not
// nil it must have the shape of logits and is overwritten with ∂L/∂logits.
// Forward panics on mismatched shapes and out-of-range labels.
func (l *SoftmaxCrossEntropy) Forward(logits *Tensor, labels []int, dlogits *Tensor) (loss float64, correct int) {
	n, k, inner := classLayout("SoftmaxCrossEntropy", logits)
	if len(labels) != n*inner {
		panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: %d labels for logits of shape %v (want %d)", len(labels), logits.Shape, n*inner))
	}
	if dlogits != nil && !sameShape(dlogits.Shape, logits.Shape) {
		panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: dlogits shape %v, logits shape %v", dlogits.Shape, logits.Shape))
	}
	if l.ClassWeights != nil && len(l.ClassWeights) != k {
		panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: %d class weights for %d classes", len(l.ClassWeights), k))
	}
	eps := float64(l.Smoothing)
	if !(eps >= 0 && eps <= 1) {
		panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: smoothing %v outside [0, 1]", l.Smoothing))
	}

	// Σ w[y] first, so the gradient can be scaled in the same pass.
	total := 0.0
	for i, y := range labels {
		if y == IgnoreLabel {
			continue
		}
		if y < 0 || y >= k {
			panic(fmt.Sprintf("nn: SoftmaxCrossEntropy: label %d at position %d outside [0, %d)", y, i, k))
		}
		total += l.weight(y)
	}
	l.total = total
	if dlogits != nil {
		dlogits.Zero()
	}
	if total == 0 {
		return 0, 0
	}

	l.max = growFloat64(l.max, inner)
	l.sum = growFloat64(l.sum, inner)
	off, uniform := 1-eps, eps/float64(k)
	for b := range n {
		z := logits.Data[b*k*inner : (b+1)*k*inner] // class c at position p is z[c*inner+p]
		ys := labels[b*inner : (b+1)*inner]
		mx, sum := l.max[:inner], l.sum[:inner]
		// The class loops run over contiguous rows of inner positions.
		copyFloat64(mx, z[:inner])
		for c := 1; c < k; c++ {
			for p, v := range z[c*inner : (c+1)*inner] {
				if float64(v) > mx[p] {
					mx[p] = float64(v)
				}
			}
		}
		clear(sum)
		var d []float32
		if dlogits != nil {
			d = dlogits.Data[b*k*inner : (b+1)*k*inner]
		}
		for c := range k {
			row := z[c*inner : (c+1)*inner]
			for p, v := range row {
				e := math.Exp(float64(v) - mx[p])
				sum[p] += e
				if d != nil {
					d[c*inner+p] = float32(e) // exp kept for the gradient pass
				}
			}
		}
		for p, y := range ys {
			if y == IgnoreLabel {
				continue
			}
			w := l.weight(y)
			lse := mx[p] + math.Log(sum[p])
			// ℓ = lse − Σ q_k z_k = lse − (1−ε)·z_y − (ε/K)·Σ_k z_k.
			qz := off * float64(z[y*inner+p])
			if eps != 0 {
				s := 0.0
				for c := range k {
					s += float64(z[c*inner+p])
				}
				qz += uniform * s
			}
			loss += w * (lse - qz)
			if float64(z[y*inner+p]) == mx[p] && firstMax(z, k, inner, p) == y {
				correct++
			}
		}
		if d == nil {
			continue
		}
		for p, y := range ys {
			if y == IgnoreLabel {
				for c := range k {
					d[c*inner+p] = 0
				}
				continue
			}
			scale := l.weight(y) / total
			inv := 1 / sum[p]
			for c := range k {
				q := uniform
				if c == y {
					q += off
				}
				d[c*inner+p] = float32(scale * (float64(d[c*inner+p])*inv - q))
			}
		}
	}
	return loss / total, correct
}

func (l *SoftmaxCrossEntropy) weight(y int) float64 {
	if l.ClassWeights == nil {
		return 1
	}
	return float64(l.ClassWeights[y])
}

// firstMax returns the first class with the largest logit at position p.
func firstMax(z []float32, k, inner, p int) int {
	best, arg := z[p], 0
	for c := 1; c < k; c++ {
		if v := z[c*inner+p]; v > best {
			best, arg = v, c
		}
	}
	return arg
}

// Probabilities writes softmax(logits) over the class axis into dst and
// returns it: p_k = exp(z_k − max z) / Σ_j exp(z_j − max z) at every position.
// logits is (N, K) or (N, K, H, W); dst is reused when large enough (see
// Ensure) and may be nil.
func Probabilities(logits, dst *Tensor) *Tensor {
	n, k, inner := classLayout("Probabilities", logits)
	dst = Ensure(dst, logits.Shape...)
	for b := range n {
		z := logits.Data[b*k*inner : (b+1)*k*inner]
		d := dst.Data[b*k*inner : (b+1)*k*inner]
		for p := range inner {
			mx := z[p]
			for c := 1; c < k; c++ {
				mx = max(mx, z[c*inner+p])
			}
			sum := 0.0
			for c := range k {
				e := math.Exp(float64(z[c*inner+p] - mx))
				d[c*inner+p] = float32(e)
				sum += e
			}
			inv := 1 / sum
			for c := range k {
				d[c*inner+p] = float32(float64(d[c*inner+p]) * inv)
			}
		}
	}
	return dst
}

// classLayout splits logits of shape (N, K) or (N, K, H, W) into N, K and the
// number of positions per image (1, or H·W).
func classLayout(who string, logits *Tensor) (n, k, inner int) {
	switch len(logits.Shape) {
	case 2:
		n, k, inner = logits.Shape[0], logits.Shape[1], 1
	case 4:
		n, k, inner = logits.Shape[0], logits.Shape[1], logits.Shape[2]*logits.Shape[3]
	default:
		panic(fmt.Sprintf("nn: %s: logits must be (N, K) or (N, K, H, W), have shape %v", who, logits.Shape))
	}
	if k == 0 {
		panic(fmt.Sprintf("nn: %s: logits of shape %v have no classes", who, logits.Shape))
	}
	if len(logits.Data) != n*k*inner {
		panic(fmt.Sprintf("nn: %s: logits hold %d values for shape %v", who, len(logits.Data), logits.Shape))
	}
	return n, k, inner
}

func growFloat64(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

func copyFloat64(dst []float64, src []float32) {
	for i, v := range src {
		dst[i] = float64(v)
	}
}
