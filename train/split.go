package train

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/tessera-ssl/tessera/imageio"
)

// Random streams: each use of the seed draws from its own PCG stream, so a
// split and a K-per-class subset with the same seed are independent.
const (
	streamSplit = 0x73706c6974000000 // "split"
	streamKPer  = 0x6b70657200000000 // "kper"
)

// Split partitions d at random into len(fractions) datasets holding about
// those fractions of its images, e.g. Split(d, seed, 0.8, 0.1, 0.1) for
// train, validation and test. The parts are disjoint; if the fractions sum to
// 1 they cover d. Part sizes are round(N·cumulative fraction) differences, so
// they add up exactly.
//
// A labeled dataset is split stratified by class: every class is divided in
// the same proportions, each part getting within about one image of
// fraction × the class's count (systematic sampling: each class's images,
// shuffled, are spread evenly over [0, 1) with a random offset, all images are
// ordered by that position, and the order is cut at the cumulative
// fractions). Within a part, images keep d's order.
//
// The result depends only on d and seed, on every platform: the randomness
// is math/rand/v2's PCG, consumed by this package's own shuffle. Fractions
// must be positive and sum to at most 1 (programmer error otherwise).
func Split(d *imageio.Dataset, seed uint64, fractions ...float64) []*imageio.Dataset {
	var parts []*imageio.Dataset
	for _, idx := range splitIndices(d, seed, fractions) {
		parts = append(parts, d.Subset(idx))
	}
	return parts
}

// splitIndices is Split's partition as ascending indices into d.
func splitIndices(d *imageio.Dataset, seed uint64, fractions []float64) [][]int {
	sum := 0.0
	for _, f := range fractions {
		if !(f > 0) {
			panic(fmt.Sprintf("train: Split fraction %v must be positive", f))
		}
		sum += f
	}
	if len(fractions) == 0 || sum > 1+1e-9 {
		panic(fmt.Sprintf("train: Split fractions %v must be non-empty and sum to at most 1", fractions))
	}
	type item struct {
		key        float64
		class, idx int
	}
	var items []item
	for c, idx := range byClass(d) {
		r := rand.NewPCG(seed, streamSplit+uint64(c))
		offset := unitFloat(r)
		shuffle(idx, r)
		for rank, i := range idx {
			items = append(items, item{(float64(rank) + offset) / float64(len(idx)), c, i})
		}
	}
	slices.SortFunc(items, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.key, b.key), cmp.Compare(a.class, b.class), cmp.Compare(a.idx, b.idx))
	})
	n := len(items)
	parts := make([][]int, len(fractions))
	cum, lo := 0.0, 0
	for k, f := range fractions {
		cum += f
		hi := min(n, int(math.Round(float64(n)*cum)))
		idx := make([]int, 0, hi-lo)
		for _, it := range items[lo:hi] {
			idx = append(idx, it.idx)
		}
		slices.Sort(idx)
		parts[k] = idx
		lo = hi
	}
	return parts
}

// HoldOut splits a labeled dataset into a training part and a held-out
// test part of about fraction of its images, stratified as by Split, with
// one guarantee on top: every class keeps at least one training image. A
// class that Split would leave with none (its only image, or a small class
// rounded the wrong way) gets one back from the test part, its first there.
// A class of one image therefore has no test image; callers say so.
// fraction must be in (0, 1) (programmer error otherwise).
func HoldOut(d *imageio.Dataset, seed uint64, fraction float64) (trainSet, testSet *imageio.Dataset) {
	if !(fraction > 0 && fraction < 1) {
		panic(fmt.Sprintf("train: HoldOut fraction %v must be in (0, 1)", fraction))
	}
	parts := splitIndices(d, seed, []float64{1 - fraction, fraction})
	tr, te := parts[0], parts[1]
	if d.Labeled() {
		has := make([]bool, d.NumClasses())
		for _, i := range tr {
			has[d.Labels[i]] = true
		}
		kept := te[:0:0]
		for _, i := range te {
			if y := d.Labels[i]; !has[y] {
				has[y] = true
				tr = append(tr, i)
				continue
			}
			kept = append(kept, i)
		}
		te = kept
		slices.Sort(tr)
	}
	return d.Subset(tr), d.Subset(te)
}

// KPerClass returns a labeled subset with k images of every class, chosen at
// random for seed (in d's order). Each class draws from its own PCG stream,
// so the choice for one class does not depend on the others, and the subset
// for k is contained in the subset for k+1 with the same seed. It is an error
// if d is unlabeled, k < 1, or a class has fewer than k images.
func KPerClass(d *imageio.Dataset, k int, seed uint64) (*imageio.Dataset, error) {
	if !d.Labeled() {
		return nil, fmt.Errorf("%d labels per class: dataset is unlabeled", k)
	}
	if k < 1 {
		return nil, fmt.Errorf("%d labels per class: need at least 1", k)
	}
	var pick []int
	for c, idx := range byClass(d) {
		if len(idx) < k {
			return nil, fmt.Errorf("%d labels per class: class %q has only %d images", k, className(d, c), len(idx))
		}
		shuffle(idx, rand.NewPCG(seed, streamKPer+uint64(c)))
		pick = append(pick, idx[:k]...)
	}
	slices.Sort(pick)
	return d.Subset(pick), nil
}

// className is d.Classes[c], or "class c" when Classes does not name it.
func className(d *imageio.Dataset, c int) string {
	if c < len(d.Classes) {
		return d.Classes[c]
	}
	return fmt.Sprintf("class %d", c)
}

// byClass returns the indices of each class's images in ascending order,
// indexed by label; an unlabeled dataset is one group holding every index.
func byClass(d *imageio.Dataset) [][]int {
	if d.Labels == nil {
		all := make([]int, d.Len())
		for i := range all {
			all[i] = i
		}
		return [][]int{all}
	}
	g := make([][]int, d.NumClasses())
	for i, l := range d.Labels {
		g[l] = append(g[l], i)
	}
	return g
}

// shuffle permutes p uniformly (Fisher–Yates) with draws from r.
func shuffle(p []int, r *rand.PCG) {
	for i := len(p) - 1; i > 0; i-- {
		j := uniform(r, uint64(i+1))
		p[i], p[j] = p[j], p[i]
	}
}

// uniform returns a uniform integer in [0, n) by rejection: draws below
// 2⁶⁴ mod n are discarded, so every residue is equally likely.
func uniform(r *rand.PCG, n uint64) uint64 {
	threshold := -n % n
	for {
		if x := r.Uint64(); x >= threshold {
			return x % n
		}
	}
}

// unitFloat returns a uniform float64 in [0, 1) from the top 53 bits of a draw.
func unitFloat(r *rand.PCG) float64 {
	return float64(r.Uint64()>>11) / (1 << 53)
}
