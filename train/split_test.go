package train

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
)

// labeledSet is a dataset with counts[c] images of class c, interleaved, each
// named by its index; images are 1×1 and distinct only by name.
func labeledSet(counts ...int) *imageio.Dataset {
	d := &imageio.Dataset{Labels: []int{}}
	left := slices.Clone(counts)
	for c := range counts {
		d.Classes = append(d.Classes, fmt.Sprintf("class%d", c))
	}
	for more := true; more; {
		more = false
		for c := range left {
			if left[c] > 0 {
				left[c]--
				more = true
				d.Images = append(d.Images, pretext.NewImage(1, 1))
				d.Labels = append(d.Labels, c)
				d.Names = append(d.Names, fmt.Sprint(len(d.Names)))
			}
		}
	}
	return d
}

func names(ds ...*imageio.Dataset) []string {
	var n []string
	for _, d := range ds {
		n = append(n, d.Names...)
	}
	return n
}

func TestSplit(t *testing.T) {
	unlabeled := labeledSet(37)
	unlabeled.Labels, unlabeled.Classes = nil, nil
	tests := []struct {
		name      string
		d         *imageio.Dataset
		fractions []float64
	}{
		{"stratified 80/10/10", labeledSet(20, 30, 50), []float64{0.8, 0.1, 0.1}},
		{"stratified 60/20/20", labeledSet(20, 30, 50), []float64{0.6, 0.2, 0.2}},
		{"many small classes", labeledSet(5, 5, 5, 5, 5, 5, 5, 5, 5, 5), []float64{0.8, 0.1, 0.1}},
		{"uneven classes", labeledSet(3, 100, 17, 1), []float64{0.5, 0.5}},
		{"unlabeled", unlabeled, []float64{0.7, 0.3}},
		{"partial", labeledSet(40, 40), []float64{0.25, 0.25}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := tc.d.Len()
			parts := Split(tc.d, 42, tc.fractions...)
			if len(parts) != len(tc.fractions) {
				t.Fatalf("%d parts, want %d", len(parts), len(tc.fractions))
			}
			// Part sizes are differences of round(N·cumulative fraction).
			cum, lo := 0.0, 0
			for k, f := range tc.fractions {
				cum += f
				hi := int(math.Round(float64(n) * cum))
				if parts[k].Len() != hi-lo {
					t.Errorf("part %d has %d images, want %d", k, parts[k].Len(), hi-lo)
				}
				lo = hi
			}
			// Disjoint, and covering when the fractions sum to 1.
			all := names(parts...)
			seen := map[string]bool{}
			for _, s := range all {
				if seen[s] {
					t.Fatalf("image %s in two parts", s)
				}
				seen[s] = true
			}
			if math.Abs(cum-1) < 1e-9 && len(all) != n {
				t.Errorf("parts hold %d images, want all %d", len(all), n)
			}
			// Labels travel with their images.
			for _, p := range parts {
				for i, s := range p.Names {
					var j int
					fmt.Sscan(s, &j)
					if p.Images[i] != tc.d.Images[j] || (tc.d.Labeled() && p.Labels[i] != tc.d.Labels[j]) {
						t.Fatalf("image %s lost its label or pixels", s)
					}
				}
			}
			// Stratified: each class's share of each part is within 2 images
			// of fraction × its count (see Split for why 2 bounds it).
			if tc.d.Labeled() {
				counts := tc.d.CountPerClass()
				for k, p := range parts {
					for c, got := range p.CountPerClass() {
						want := tc.fractions[k] * float64(counts[c])
						if math.Abs(float64(got)-want) > 2 {
							t.Errorf("part %d has %d of class %d, want about %.1f", k, got, c, want)
						}
					}
				}
			}
			// Same seed, same split; another seed, another split.
			again := Split(tc.d, 42, tc.fractions...)
			if !slices.Equal(names(again...), all) {
				t.Error("same seed gave a different split")
			}
			if other := Split(tc.d, 43, tc.fractions...); slices.Equal(other[0].Names, parts[0].Names) {
				t.Error("seeds 42 and 43 gave the same first part")
			}
		})
	}
}

// Without stratification, a 100-image class and a 10-image class split
// 50/50 would leave the small class unevenly divided often; stratified, it
// is always 5 and 5 (plus or minus 1) for every seed.
func TestSplitStratifiesEverySeed(t *testing.T) {
	d := labeledSet(100, 10)
	for seed := range uint64(200) {
		parts := Split(d, seed, 0.5, 0.5)
		if c := parts[0].CountPerClass()[1]; c < 4 || c > 6 {
			t.Fatalf("seed %d: first half has %d of the 10-image class, want 4–6", seed, c)
		}
	}
}

func TestSplitPanicsOnBadFractions(t *testing.T) {
	d := labeledSet(5, 5)
	for _, f := range [][]float64{nil, {0.5, 0.6}, {-0.1, 0.5}, {0, 1}, {math.NaN()}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("Split(%v) did not panic", f)
				}
			}()
			Split(d, 1, f...)
		}()
	}
}

func TestKPerClass(t *testing.T) {
	d := labeledSet(12, 7, 30)
	var prev []string
	for k := 1; k <= 7; k++ {
		s, err := KPerClass(d, k, 9)
		if err != nil {
			t.Fatal(err)
		}
		if got := s.CountPerClass(); !slices.Equal(got, []int{k, k, k}) {
			t.Fatalf("k=%d: counts %v", k, got)
		}
		if !slices.IsSortedFunc(s.Names, func(a, b string) int { // kept in d's order
			var i, j int
			fmt.Sscan(a, &i)
			fmt.Sscan(b, &j)
			return i - j
		}) {
			t.Errorf("k=%d: subset not in dataset order: %v", k, s.Names)
		}
		for _, n := range prev { // nested: the k−1 subset is inside the k subset
			if !slices.Contains(s.Names, n) {
				t.Errorf("k=%d subset lacks %s from the k=%d subset", k, n, k-1)
			}
		}
		again, _ := KPerClass(d, k, 9)
		if !slices.Equal(again.Names, s.Names) {
			t.Errorf("k=%d: same seed, different subset", k)
		}
		prev = s.Names
	}
	a, _ := KPerClass(d, 3, 1)
	b, _ := KPerClass(d, 3, 2)
	if slices.Equal(a.Names, b.Names) {
		t.Error("seeds 1 and 2 chose the same 3 per class")
	}

	for _, tc := range []struct {
		d    *imageio.Dataset
		k    int
		want string
	}{
		{d, 8, `class "class1" has only 7 images`},
		{d, 0, "at least 1"},
		{&imageio.Dataset{Images: d.Images}, 1, "unlabeled"},
	} {
		if _, err := KPerClass(tc.d, tc.k, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("KPerClass(%d): error %v, want %q", tc.k, err, tc.want)
		}
	}
}

// The shuffle is uniform and reproducible across platforms.
func TestShuffle(t *testing.T) {
	// Every permutation of 3 is equally likely: 6000 shuffles give each
	// about 1000 times (σ ≈ 29).
	count := map[[3]int]int{}
	for seed := range uint64(6000) {
		p := []int{0, 1, 2}
		shuffle(p, rand.NewPCG(seed, 5))
		count[[3]int(p)]++
	}
	if len(count) != 6 {
		t.Fatalf("%d distinct permutations, want 6", len(count))
	}
	for p, n := range count {
		if n < 850 || n > 1150 {
			t.Errorf("permutation %v drawn %d times in 6000, want about 1000", p, n)
		}
	}
	// Worked out independently with a Python transcription of PCG-DXSM
	// (math/rand/v2's pcg.go) and this Fisher–Yates with rejection: pins the
	// stream so splits reproduce on every platform and Go release.
	p := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	shuffle(p, rand.NewPCG(42, 7))
	if want := []int{9, 7, 5, 8, 3, 4, 2, 0, 6, 1}; !slices.Equal(p, want) {
		t.Errorf("shuffle(0..9, PCG(42, 7)) = %v, want %v", p, want)
	}
}

// Labels without Classes (a set built by hand) still count, split and subset.
func TestDatasetWithoutClassNames(t *testing.T) {
	d := labeledSet(4, 6, 3)
	d.Classes = nil
	if n := d.NumClasses(); n != 3 {
		t.Errorf("NumClasses = %d, want 3", n)
	}
	if got := d.CountPerClass(); !slices.Equal(got, []int{4, 6, 3}) {
		t.Errorf("CountPerClass = %v, want [4 6 3]", got)
	}
	parts := Split(d, 1, 0.5, 0.5)
	if parts[0].Len()+parts[1].Len() != d.Len() {
		t.Errorf("split lost images")
	}
	if _, err := KPerClass(d, 4, 1); err == nil || !strings.Contains(err.Error(), `"class 2" has only 3`) {
		t.Errorf("KPerClass(4): error %v, want one naming class 2", err)
	}
}

// HoldOut never leaves a class without training images, whatever the seed
// and share: a one-image class trains and has no test image; the parts are
// disjoint, cover d and keep its order.
func TestHoldOut(t *testing.T) {
	tests := []struct {
		counts   []int
		fraction float64
	}{
		{[]int{1, 1}, 0.2},
		{[]int{1, 20}, 0.5},
		{[]int{2, 2, 2}, 0.9},
		{[]int{3, 50, 1}, 0.6},
		{[]int{100, 100}, 0.2},
	}
	for _, tc := range tests {
		d := labeledSet(tc.counts...)
		for seed := range uint64(20) {
			tr, te := HoldOut(d, seed, tc.fraction)
			for c, n := range tr.CountPerClass() {
				if n == 0 {
					t.Fatalf("counts %v share %v seed %d: class %d has no training image", tc.counts, tc.fraction, seed, c)
				}
			}
			if len(tr.CountPerClass()) != len(tc.counts) {
				t.Fatalf("counts %v seed %d: training part has %d classes", tc.counts, seed, len(tr.CountPerClass()))
			}
			all := names(tr, te)
			slices.SortFunc(all, func(a, b string) int { return strings.Compare(fmt.Sprintf("%08s", a), fmt.Sprintf("%08s", b)) })
			if !slices.Equal(all, d.Names) {
				t.Fatalf("counts %v seed %d: parts %v and %v do not cover %v once", tc.counts, seed, tr.Names, te.Names, d.Names)
			}
			for _, p := range []*imageio.Dataset{tr, te} {
				if !slices.IsSortedFunc(p.Names, func(a, b string) int { return strings.Compare(fmt.Sprintf("%08s", a), fmt.Sprintf("%08s", b)) }) {
					t.Fatalf("part %v is out of d's order", p.Names)
				}
			}
		}
	}
	// Where Split already keeps a training image per class, HoldOut is Split.
	d := labeledSet(100, 100)
	parts := Split(d, 7, 0.8, 0.2)
	tr, te := HoldOut(d, 7, 0.2)
	if !slices.Equal(tr.Names, parts[0].Names) || !slices.Equal(te.Names, parts[1].Names) {
		t.Fatal("HoldOut differs from Split on a large set")
	}
}
