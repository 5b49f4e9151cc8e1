package trainer

import (
	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

// The label-free monitor's schedule and size.
const (
	// monitorPoints is how many times a run measures, evenly spaced over
	// its steps (the first right after its first steps), unless
	// monitorGap spaces them more.
	monitorPoints = 10
	// monitorImages bounds the labeled images measured: the leave-one-out
	// vote costs n² dot products.
	monitorImages = 500
	monitorK      = 20
	// monitorGap is the fewest steps between two measurements per chunk
	// the last one took: a chunk costs at most about one step, so the
	// monitor takes at most about a tenth of the run (on the demo, 500
	// images in 8 chunks of a third of a step each: 3125 steps between
	// measurements of the default 200,000 samples' run, under 1 %).
	monitorGap = 10
)

// knnMonitor is pretraining's label-free monitor (the practice of
// solo-learn and others): every so often, the leave-one-out
// k-nearest-neighbour accuracy of the labeled images in the current
// trunk's feature space, which tells whether the pretext task is teaching
// anything useful for the user's classes. The features are computed a
// chunk at a time between steps, from a copy of the trunk taken when the
// measurement starts; the result waits in acc for the next Progress.
type knnMonitor struct {
	images  []*pretext.Image
	labels  []int
	classes int
	every   int       // steps between measurements
	next    int       // step at which the next one starts
	f       *features // the measurement under way, nil between
	start   int       // the step it started at
	chunks  int       // work calls it has taken so far
	acc     float64   // a result not yet reported, 0 if none
}

// newKNNMonitor returns the monitor of a run of steps steps on a labeled
// set, or nil when the set has fewer than 2 classes (nothing to tell
// apart). At most monitorImages images are measured, evenly spaced.
func newKNNMonitor(labeled *imageio.Dataset, classes, steps int) *knnMonitor {
	seen := map[int]bool{}
	for _, y := range labeled.Labels {
		seen[y] = true
	}
	if len(seen) < 2 {
		return nil
	}
	m := &knnMonitor{classes: classes, every: max(1, steps/monitorPoints)}
	n := labeled.Len()
	for i := range min(n, monitorImages) {
		j := i * n / min(n, monitorImages)
		m.images = append(m.images, labeled.Images[j])
		m.labels = append(m.labels, labeled.Labels[j])
	}
	return m
}

// work does one chunk of chunk images of the measurement under way,
// starting one from trunk if step has reached the next; when the features
// are complete it scores them into acc. It reports whether it did anything.
func (m *knnMonitor) work(trunk *nn.Trunk, step, chunk int) bool {
	if m.f == nil {
		if step < m.next {
			return false
		}
		m.f, m.start, m.chunks = newFeatures(step, trunk), step, 0
	}
	m.chunks++
	if m.f.fill(m.images, chunk) {
		return true
	}
	m.next = m.start + max(m.every, monitorGap*m.chunks)
	// A measured 0 is sent as 1e-9: KNNAccuracy 0 means "none".
	m.acc = max(train.LeaveOneOutKNN(m.f.of(m.images), m.labels, m.classes, min(monitorK, len(m.images)-1)), 1e-9)
	m.f = nil
	return true
}

// report returns the result waiting for a Progress (0 if none) and
// clears it.
func (m *knnMonitor) report() float64 {
	if m == nil {
		return 0
	}
	a := m.acc
	m.acc = 0
	return a
}
