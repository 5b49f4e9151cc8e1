package train

import (
	"fmt"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// SemiConfig is the unlabeled part of SemiSupervised training: pseudo-labels
// with a confidence threshold and weak → strong augmentation (FixMatch,
// Sohn et al. 2020).
//
// Every step draws U = Ratio·B unlabeled images besides the B labeled ones.
// The teacher (the model itself, or its weight average when Teacher is
// "ema"), in evaluation mode, classifies a weakly augmented view (crop and
// flip) of each: p_j = softmax(teacher(weak(u_j))). Where max p_j ≥
// Threshold, its argmax ŷ_j is a pseudo-label, and a strongly augmented view
// (pretext.StrongAugment with Ops operations and Cutout) joins the batch:
//
//	L_u = (Weight/U) Σ_j [max p_j ≥ Threshold] ℓ(strong(u_j), ŷ_j)
//
// Only the images that pass the threshold are forwarded and back-propagated
// through the student, so the term costs one inference per unlabeled image
// plus one training pass per pseudo-labelled one.
//
// With Flex, each class c has its own threshold (curriculum pseudo-labelling,
// FlexMatch, Zhang et al. 2021). Every pool image keeps the class it was
// last predicted with confidence ≥ τ, if ever; with σ(c) the number of pool
// images so kept for class c and σ(∅) the number never kept,
//
//	β(c) = σ(c) / max(max_c' σ(c'), σ(∅)),   T(c) = τ · β(c) / (2 − β(c))
//
// so a class the model is rarely sure of, and every class early on, takes
// pseudo-labels at a lower confidence, and T(c) → τ as the model learns it.
type SemiConfig struct {
	Ratio     int     // unlabeled images per labeled image in a step (μ)
	Threshold float64 // confidence a pseudo-label needs (τ)
	Weight    float64 // λ_u
	Ops       int     // operations of the strong augmentation
	Cutout    float64 // side of the cutout square, a fraction of the image's
	Teacher   string  // "model" or "ema" (needs FinetuneConfig.EMA > 0)
	Flex      bool    // per-class thresholds T(c) (FlexMatch)
}

// DefaultSemi returns FixMatch's settings with a lower threshold and
// ratio: a network as small as the app's is rarely 95 % sure early on, and
// on held-out CIFAR-10 training images τ = 0.8 beat 0.95 (experiments/notes.md);
// 4 unlabeled images per labeled one keeps a step affordable.
func DefaultSemi() SemiConfig {
	return SemiConfig{Ratio: 4, Threshold: 0.8, Weight: 1, Ops: 2, Cutout: 0.5, Teacher: "model"}
}

func (c SemiConfig) validate(ema float64) error {
	switch {
	case c.Ratio < 1 || c.Ratio > 64:
		return fmt.Errorf("semi-supervised: unlabeled ratio %d outside 1..64", c.Ratio)
	case !(c.Threshold >= 0 && c.Threshold <= 1):
		return fmt.Errorf("semi-supervised: threshold %g outside [0, 1]", c.Threshold)
	case !(c.Weight >= 0):
		return fmt.Errorf("semi-supervised: weight %g must be ≥ 0", c.Weight)
	case c.Ops < 0 || c.Ops > 8:
		return fmt.Errorf("semi-supervised: %d strong-augmentation operations outside 0..8", c.Ops)
	case !(c.Cutout >= 0 && c.Cutout <= 1):
		return fmt.Errorf("semi-supervised: cutout %g outside [0, 1]", c.Cutout)
	case c.Teacher != "model" && c.Teacher != "ema":
		return fmt.Errorf("semi-supervised: teacher %q (want model or ema)", c.Teacher)
	case c.Teacher == "ema" && ema <= 0:
		return fmt.Errorf("semi-supervised: an ema teacher needs an EMA decay > 0")
	}
	return nil
}

// semiState is a Finetuner's unlabeled side.
type semiState struct {
	cfg      SemiConfig
	pool     []*pretext.Image
	labels   []int // the pool's true labels, for diagnostics only (WatchPseudoLabels)
	order    cursor
	batch    int // U: unlabeled images per step
	lo, hi   int // this replica's unlabeled images [lo, hi) of U
	weak     []*pretext.Image
	idx      []int // pool indices of the weak views
	xw       *nn.Tensor
	probs    *nn.Tensor
	imgs     []*pretext.Image // the step's labeled images, then the strong views
	y        []int            // pseudo-labels of the strong views
	truth    []int            // their true labels (with labels)
	loss     nn.SoftmaxCrossEntropy
	rate, ok ewma // fraction of unlabeled images pseudo-labelled; fraction right

	// Flex: kept[u] is pool image u's last class predicted with confidence
	// ≥ τ, or −1; sure[j] is class+1 of this replica's unlabeled image j
	// of the step when it was, else 0; the step's Sum spreads sure to every
	// replica, so all keep the same kept.
	kept  []int16
	sure  []float64
	sigma []int // σ(c), then σ(∅) last
}

func newSemiState(cfg FinetuneConfig, batch int, pool []*pretext.Image, size, classes int) (*semiState, error) {
	if err := cfg.Semi.validate(cfg.EMA); err != nil {
		return nil, err
	}
	if len(pool) == 0 {
		return nil, fmt.Errorf("semi-supervised: no unlabeled images")
	}
	for i, img := range pool {
		if img.Width != size || img.Height != size {
			return nil, fmt.Errorf("semi-supervised: unlabeled image %d is %d×%d, want %d×%d like the labeled ones", i, img.Width, img.Height, size, size)
		}
	}
	s := &semiState{
		cfg: cfg.Semi, pool: pool, order: newCursor(len(pool), cfg.Seed, streamUnlabeledEpoch),
		batch: cfg.Semi.Ratio * batch, rate: ewma{alpha: 0.05}, ok: ewma{alpha: 0.05},
	}
	if cfg.Semi.Flex {
		s.kept = make([]int16, len(pool))
		for i := range s.kept {
			s.kept[i] = -1
		}
		s.sigma = make([]int, classes+1)
		s.sigma[classes] = len(pool)
	}
	return s, nil
}

// reduceLen is how many values a step's Sum carries for the unlabeled
// side: the loss, count and right count, and with Flex one per unlabeled
// image of the step.
func (s *semiState) reduceLen() int {
	if s.kept == nil {
		return 3
	}
	return 3 + s.batch
}

// threshold is the confidence class c needs: τ, or with Flex T(c).
func (s *semiState) threshold(c int) float64 {
	if s.kept == nil {
		return s.cfg.Threshold
	}
	most := 0
	for _, n := range s.sigma {
		most = max(most, n)
	}
	beta := float64(s.sigma[c]) / float64(most)
	return s.cfg.Threshold * beta / (2 - beta)
}

// WatchPseudoLabels gives a SemiSupervised run the true labels of its
// unlabeled pool, so that Progress reports how often the pseudo-labels are
// right; training does not read them. For experiments where the pool's
// labels are known; len(labels) must match the pool.
func (f *Finetuner) WatchPseudoLabels(labels []int) {
	if f.semi == nil || len(labels) != len(f.semi.pool) {
		panic(fmt.Sprintf("train: WatchPseudoLabels: %d labels for a pool of %d (or not semi-supervised)", len(labels), poolLen(f.semi)))
	}
	f.semi.labels = labels
}

func poolLen(s *semiState) int {
	if s == nil {
		return 0
	}
	return len(s.pool)
}

// pseudoLabel makes this replica's unlabeled images of the step, asks the
// teacher for their pseudo-labels and returns the labeled images followed
// by the strong views of the confident ones, with those pseudo-labels.
func (f *Finetuner) pseudoLabel(labeled []*pretext.Image) ([]*pretext.Image, []int) {
	s := f.semi
	size := f.data.Images[0].Width
	s.weak, s.idx = s.weak[:0], s.idx[:0]
	for j := s.lo; j < s.hi; j++ {
		u := s.order.at(f.step*s.batch + j)
		s.idx = append(s.idx, u)
		f.pcg.Seed(f.Config.Seed+uint64(j)*imageStride, streamUnlabeled+uint64(f.step))
		s.weak = append(s.weak, weakAugment(s.pool[u], size, f.rng))
	}
	teacher := f.Model
	if s.cfg.Teacher == "ema" {
		teacher = f.ema.Model
	}
	s.imgs = append(s.imgs[:0], labeled...)
	s.y, s.truth = s.y[:0], s.truth[:0]
	if len(s.weak) == 0 {
		return s.imgs, s.y
	}
	s.xw = batchInput(s.weak, s.xw)
	s.probs = nn.Probabilities(teacher.Forward(s.xw, false), s.probs)
	_, k := s.probs.Dims2()
	s.sure = s.sure[:0]
	for j, u := range s.idx {
		p := s.probs.Data[j*k : (j+1)*k]
		best := 0
		for c := 1; c < k; c++ {
			if p[c] > p[best] {
				best = c
			}
		}
		if s.kept != nil {
			v := 0.0
			if float64(p[best]) >= s.cfg.Threshold {
				v = float64(best + 1)
			}
			s.sure = append(s.sure, v)
		}
		if float64(p[best]) < s.threshold(best) {
			continue
		}
		// The strong view's stream continues the weak view's: the rng is
		// still seeded for slot s.lo+j, so re-seed it to that slot.
		f.pcg.Seed(f.Config.Seed+uint64(s.lo+j)*imageStride, streamUnlabeled+uint64(f.step)+1<<32)
		s.imgs = append(s.imgs, pretext.StrongAugment(s.pool[u], s.cfg.Ops, s.cfg.Cutout, f.rng))
		s.y = append(s.y, best)
		if s.labels != nil {
			s.truth = append(s.truth, s.labels[u])
		}
	}
	return s.imgs, s.y
}

// lossRows adds L_u: the loss of the strong views in rows nl… of logits,
// its gradient into the same rows of dlogits, and into r the replica's
// Σ ℓ, its count of pseudo-labelled images, and how many of them are right
// (with labels).
func (s *semiState) lossRows(logits, dlogits *nn.Tensor, nl int, y []int, r []float64) {
	if s.kept != nil {
		copy(r[5+s.lo:5+s.hi], s.sure)
	}
	m := len(y)
	if m == 0 {
		return
	}
	_, k := logits.Dims2()
	u := nn.FromData(logits.Data[nl*k:(nl+m)*k], m, k)
	du := nn.FromData(dlogits.Data[nl*k:(nl+m)*k], m, k)
	loss, _ := s.loss.Forward(u, y, du)
	scaleRows(du.Data, float32(s.cfg.Weight*float64(m)/float64(s.batch)))
	r[2] += loss * float64(m)
	r[3] += float64(m)
	for i, t := range s.truth {
		if t == y[i] {
			r[4]++
		}
	}
}

// record updates the pseudo-label rates from a step's global sums r, and
// with Flex the kept classes of the step's unlabeled images (step is the
// step r belongs to).
func (s *semiState) record(r []float64, step int) {
	if s.kept != nil {
		classes := len(s.sigma) - 1
		for j, v := range r[5 : 5+s.batch] {
			if v == 0 {
				continue
			}
			u := s.order.at(step*s.batch + j)
			if old := s.kept[u]; old >= 0 {
				s.sigma[old]--
			} else {
				s.sigma[classes]--
			}
			s.kept[u] = int16(v - 1)
			s.sigma[s.kept[u]]++
		}
	}
	s.rate.add(r[3] / float64(s.batch))
	if s.labels != nil && r[3] > 0 {
		s.ok.add(r[4] / r[3])
	}
}

// rates returns the recent fraction of unlabeled images that got a
// pseudo-label, and the fraction of those that were right (0 without labels).
func (s *semiState) rates() (labeled, right float64) { return s.rate.v, s.ok.v }

// ewma is an exponentially weighted moving average: v ← v + α(x − v), the
// first x taken as is.
type ewma struct {
	alpha, v float64
	n        int
}

func (e *ewma) add(x float64) {
	if e.n == 0 {
		e.v = x
	} else {
		e.v += e.alpha * (x - e.v)
	}
	e.n++
}
