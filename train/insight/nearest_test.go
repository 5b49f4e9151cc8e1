package insight

import (
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
)

func randomRows(n, c int, seed uint64) [][]float32 {
	r := rand.New(rand.NewPCG(seed, 1))
	rows := make([][]float32, n)
	for i := range rows {
		rows[i] = make([]float32, c)
		for j := range rows[i] {
			rows[i][j] = float32(r.NormFloat64())
		}
	}
	return rows
}

func TestNormalize(t *testing.T) {
	u := Normalize([][]float32{{3, 4}, {0, 0}, {-2, 0}})
	want := [][]float32{{0.6, 0.8}, {0, 0}, {-1, 0}}
	for i := range want {
		for j := range want[i] {
			if math.Abs(float64(u[i][j]-want[i][j])) > 1e-6 {
				t.Fatalf("row %d = %v, want %v", i, u[i], want[i])
			}
		}
	}
}

// Nearest must agree exactly with sorting every similarity.
func TestNearestMatchesBruteForce(t *testing.T) {
	for _, tc := range []struct{ n, c, k int }{{1, 4, 3}, {2, 4, 8}, {50, 8, 1}, {500, 16, 8}, {300, 64, 20}} {
		unit := Normalize(randomRows(tc.n, tc.c, uint64(tc.n)))
		for _, q := range []int{0, tc.n / 2, tc.n - 1} {
			type pair struct {
				i int
				s float32
			}
			var all []pair
			for i, row := range unit {
				if i == q {
					continue
				}
				var s float32
				for j := range row {
					s += row[j] * unit[q][j]
				}
				all = append(all, pair{i, s})
			}
			sort.SliceStable(all, func(a, b int) bool { return all[a].s > all[b].s })
			want := all[:min(tc.k, len(all))]
			got := Nearest(unit, q, tc.k)
			if len(got) != len(want) {
				t.Fatalf("n=%d k=%d q=%d: %d neighbours, want %d", tc.n, tc.k, q, len(got), len(want))
			}
			for i := range want {
				if got[i].Index != want[i].i || got[i].Similarity != want[i].s {
					t.Fatalf("n=%d k=%d q=%d: neighbour %d = %+v, want %+v", tc.n, tc.k, q, i, got[i], want[i])
				}
			}
		}
	}
}

func TestNearestTiesKeepLowerIndex(t *testing.T) {
	unit := [][]float32{{1, 0}, {0, 1}, {0, 1}, {0, 1}, {1, 0}}
	got := Nearest(unit, 1, 2)
	if idx := []int{got[0].Index, got[1].Index}; !slices.Equal(idx, []int{2, 3}) {
		t.Fatalf("tie order %v, want [2 3]", idx)
	}
}

func TestClassAgreement(t *testing.T) {
	// Two tight clusters that match their labels, and one unlabelled row
	// in the middle that must be ignored.
	rows := [][]float32{{1, 0.01}, {1, 0.02}, {1, 0.03}, {0.01, 1}, {0.02, 1}, {0.03, 1}, {1, 1}}
	labels := []int{0, 0, 0, 1, 1, 1, -1}
	if got := ClassAgreement(Normalize(rows), labels, 2); got != 1 {
		t.Fatalf("clustered agreement %v, want 1", got)
	}
	mixed := []int{0, 1, 0, 1, 0, 1, -1}
	if got := ClassAgreement(Normalize(rows), mixed, 2); got > 0.5 {
		t.Fatalf("shuffled-label agreement %v, want ≤ 0.5", got)
	}
}

func BenchmarkNearest10k(b *testing.B) {
	unit := Normalize(randomRows(10000, 64, 7))
	for i := 0; b.Loop(); i++ {
		Nearest(unit, i%len(unit), 8)
	}
}
