package insight

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// PCA is a linear map onto the principal axes of a set of rows: with μ
// the mean row and Σ = (1/(N−1)) Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ the sample
// covariance, Axes are the eigenvectors of Σ with the largest eigenvalues
// (Variance, in decreasing order), and a row x maps to (x − μ)ᵀ Axes.
// Each axis's sign is fixed so that its largest-magnitude entry is
// positive, so the same data always gives the same picture.
type PCA struct {
	Mean     []float64
	Axes     [][]float64 // Axes[a] is axis a, of length len(Mean)
	Variance []float64   // eigenvalue of each axis
	// Explained is each axis's share of the total variance, tr(Σ).
	Explained []float64
}

// NewPCA fits the first dims principal axes of rows (N × C, N ≥ 2,
// 1 ≤ dims ≤ C) with gonum's symmetric eigendecomposition of Σ.
func NewPCA(rows [][]float32, dims int) *PCA {
	n := len(rows)
	if n < 2 {
		panic(fmt.Sprintf("insight: PCA needs at least 2 rows, have %d", n))
	}
	c := len(rows[0])
	if dims < 1 || dims > c {
		panic(fmt.Sprintf("insight: PCA of %d dimensions onto %d axes", c, dims))
	}
	mean := make([]float64, c)
	for i, r := range rows {
		if len(r) != c {
			panic(fmt.Sprintf("insight: PCA row %d has %d features, row 0 has %d", i, len(r), c))
		}
		for j, v := range r {
			mean[j] += float64(v)
		}
	}
	for j := range mean {
		mean[j] /= float64(n)
	}
	centred := mat.NewDense(n, c, nil)
	for i, r := range rows {
		for j, v := range r {
			centred.Set(i, j, float64(v)-mean[j])
		}
	}
	cov := mat.NewSymDense(c, nil)
	cov.SymOuterK(1/float64(n-1), centred.T())
	var eig mat.EigenSym
	if !eig.Factorize(cov, true) {
		panic("insight: PCA eigendecomposition did not converge")
	}
	values := eig.Values(nil) // ascending
	var vecs mat.Dense
	eig.VectorsTo(&vecs)
	var total float64
	for _, v := range values {
		total += math.Max(v, 0)
	}
	p := &PCA{Mean: mean}
	for a := range dims {
		col := c - 1 - a
		axis := mat.Col(nil, col, &vecs)
		big := 0
		for j := range axis {
			if math.Abs(axis[j]) > math.Abs(axis[big]) {
				big = j
			}
		}
		if axis[big] < 0 {
			for j := range axis {
				axis[j] = -axis[j]
			}
		}
		v := math.Max(values[col], 0)
		share := 0.0
		if total > 0 {
			share = v / total
		}
		p.Axes = append(p.Axes, axis)
		p.Variance = append(p.Variance, v)
		p.Explained = append(p.Explained, share)
	}
	return p
}

// Project maps each row to its coordinates on the axes: yᵢₐ = (xᵢ − μ)·axisₐ.
func (p *PCA) Project(rows [][]float32) [][]float32 {
	out := make([][]float32, len(rows))
	for i, r := range rows {
		if len(r) != len(p.Mean) {
			panic(fmt.Sprintf("insight: Project row %d has %d features, the PCA %d", i, len(r), len(p.Mean)))
		}
		y := make([]float32, len(p.Axes))
		for a, axis := range p.Axes {
			var s float64
			for j, v := range r {
				s += (float64(v) - p.Mean[j]) * axis[j]
			}
			y[a] = float32(s)
		}
		out[i] = y
	}
	return out
}
