package insight

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Points spread along known orthogonal directions with known variances
// must give those directions as axes, in order of variance, and the
// projection must recover the coordinates along them.
func TestPCARecoversKnownAxes(t *testing.T) {
	const n, c = 4000, 5
	s := 1 / math.Sqrt(2)
	d1 := []float64{s, s, 0, 0, 0}  // variance 9
	d2 := []float64{0, 0, 0, 0, 1}  // variance 4
	d3 := []float64{s, -s, 0, 0, 0} // variance 0.25
	mu := []float64{1, -2, 3, 0.5, 7}
	r := rand.New(rand.NewPCG(3, 4))
	rows := make([][]float32, n)
	coords := make([][2]float64, n)
	for i := range rows {
		a, b, e := 3*r.NormFloat64(), 2*r.NormFloat64(), 0.5*r.NormFloat64()
		coords[i] = [2]float64{a, b}
		row := make([]float32, c)
		for j := range row {
			row[j] = float32(mu[j] + a*d1[j] + b*d2[j] + e*d3[j])
		}
		rows[i] = row
	}
	p := NewPCA(rows, 2)
	for a, want := range [][]float64{d1, d2} {
		var dot float64
		for j := range want {
			dot += p.Axes[a][j] * want[j]
		}
		if math.Abs(dot) < 0.999 {
			t.Fatalf("axis %d = %v, want ±%v (|cos| %.4f)", a, p.Axes[a], want, math.Abs(dot))
		}
	}
	if p.Variance[0] < 8 || p.Variance[0] > 10 || p.Variance[1] < 3.5 || p.Variance[1] > 4.5 {
		t.Fatalf("variances %v, want ≈ [9 4]", p.Variance)
	}
	if want := 9 / 13.25; math.Abs(p.Explained[0]-want) > 0.03 {
		t.Fatalf("explained %v, want ≈ %.3f first", p.Explained, want)
	}
	xy := p.Project(rows)
	for a := range 2 {
		// Correlation of the projection with the true coordinate is ±1 up
		// to the small third direction and sampling of the mean.
		var sxy, sxx, syy float64
		for i := range xy {
			x, y := float64(xy[i][a]), coords[i][a]
			sxy += x * y
			sxx += x * x
			syy += y * y
		}
		if corr := math.Abs(sxy / math.Sqrt(sxx*syy)); corr < 0.999 {
			t.Fatalf("axis %d: projection correlates %.4f with the true coordinate", a, corr)
		}
	}
}

func TestPCASignIsDeterministic(t *testing.T) {
	rows := randomRows(200, 6, 9)
	p := NewPCA(rows, 3)
	for a, axis := range p.Axes {
		big := 0
		for j := range axis {
			if math.Abs(axis[j]) > math.Abs(axis[big]) {
				big = j
			}
		}
		if axis[big] <= 0 {
			t.Fatalf("axis %d's largest entry %v is not positive", a, axis[big])
		}
	}
	q := NewPCA(rows, 3)
	for a := range p.Axes {
		for j := range p.Axes[a] {
			if p.Axes[a][j] != q.Axes[a][j] {
				t.Fatal("two fits of the same rows differ")
			}
		}
	}
}
