package train

import (
	"fmt"
	"math"
	"sort"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// Evaluation is a classifier's performance on a labeled set.
type Evaluation struct {
	N         int       `json:"n"`
	Accuracy  float64   `json:"accuracy"` // top-1, fraction in [0, 1]
	Top3      float64   `json:"top3"`
	PerClass  []float64 `json:"perClass"`  // recall of each class
	Confusion [][]int   `json:"confusion"` // Confusion[true][predicted]
	Classes   []string  `json:"classes"`
}

// evalBatch is the batch size for inference; memory, not speed, bounds it.
const evalBatch = 100

// batchInput writes images[lo:hi] as a normalised NCHW batch into x.
func batchInput(images []*pretext.Image, x *nn.Tensor) *nn.Tensor {
	w, h := images[0].Width, images[0].Height
	x = nn.Ensure(x, len(images), 3, h, w)
	per := 3 * w * h
	for i, img := range images {
		pretext.ToCHW(img, x.Data[i*per:(i+1)*per])
	}
	return x
}

// Predict returns each image's class probabilities (softmax of the logits),
// computed in evaluation mode. All images must have the same size.
func Predict(m *nn.Model, images []*pretext.Image) [][]float32 {
	var out [][]float32
	var x, probs *nn.Tensor
	for lo := 0; lo < len(images); lo += evalBatch {
		hi := min(lo+evalBatch, len(images))
		x = batchInput(images[lo:hi], x)
		probs = nn.Probabilities(m.Forward(x, false), probs)
		_, k := probs.Dims2()
		for i := range hi - lo {
			out = append(out, append([]float32(nil), probs.Data[i*k:(i+1)*k]...))
		}
	}
	return out
}

// Ranked is a class with its probability.
type Ranked struct {
	Class       int     `json:"class"`
	Probability float32 `json:"probability"`
}

// TopK returns the k most probable classes, most probable first.
func TopK(probs []float32, k int) []Ranked {
	r := make([]Ranked, len(probs))
	for i, p := range probs {
		r[i] = Ranked{i, p}
	}
	sort.SliceStable(r, func(a, b int) bool { return r[a].Probability > r[b].Probability })
	return r[:min(k, len(r))]
}

// Evaluate measures m on a labeled dataset.
func Evaluate(m *nn.Model, d *imageio.Dataset) Evaluation {
	return Score(Predict(m, d.Images), d.Labels, d.Classes)
}

// Score turns predicted probabilities and true labels into an Evaluation.
func Score(probs [][]float32, labels []int, classes []string) Evaluation {
	k := len(classes)
	e := Evaluation{N: len(labels), Classes: classes, PerClass: make([]float64, k), Confusion: make([][]int, k)}
	for i := range e.Confusion {
		e.Confusion[i] = make([]int, k)
	}
	if len(labels) == 0 {
		return e
	}
	top1, top3 := 0, 0
	for i, p := range probs {
		ranked := TopK(p, 3)
		e.Confusion[labels[i]][ranked[0].Class]++
		for j, r := range ranked {
			if r.Class == labels[i] {
				top3++
				if j == 0 {
					top1++
				}
			}
		}
	}
	e.Accuracy = float64(top1) / float64(len(labels))
	e.Top3 = float64(top3) / float64(len(labels))
	for c := range k {
		total := 0
		for _, v := range e.Confusion[c] {
			total += v
		}
		if total > 0 {
			e.PerClass[c] = float64(e.Confusion[c][c]) / float64(total)
		}
	}
	return e
}

// Features returns the trunk's globally average-pooled, L2-normalised
// feature vector for each image (evaluation mode).
func Features(trunk *nn.Trunk, images []*pretext.Image) [][]float32 {
	var out [][]float32
	var x *nn.Tensor
	for lo := 0; lo < len(images); lo += evalBatch {
		hi := min(lo+evalBatch, len(images))
		x = batchInput(images[lo:hi], x)
		f := trunk.Forward(x, false)
		n, c, h, w := f.Dims4()
		cells := h * w
		for i := range n {
			v := make([]float32, c)
			norm := 0.0
			for ch := range c {
				s := float32(0)
				for _, a := range f.Data[(i*c+ch)*cells : (i*c+ch+1)*cells] {
					s += a
				}
				v[ch] = s / float32(cells)
				norm += float64(v[ch]) * float64(v[ch])
			}
			inv := float32(1 / math.Max(math.Sqrt(norm), 1e-12))
			for ch := range v {
				v[ch] *= inv
			}
			out = append(out, v)
		}
	}
	return out
}

// KNN classifies each test image by a similarity-weighted vote of its k
// nearest training images in the trunk's feature space (see ClassifyKNN): a
// probe of the features that trains nothing.
func KNN(trunk *nn.Trunk, train, test *imageio.Dataset, k int) Evaluation {
	probs := ClassifyKNN(Features(trunk, train.Images), train.Labels, len(train.Classes), Features(trunk, test.Images), k)
	return Score(probs, test.Labels, test.Classes)
}

// knnTemperature τ sharpens the vote, as in instance-discrimination kNN.
const knnTemperature = 0.07

// ClassifyKNN returns, for each query vector, class probabilities from its
// k most cosine-similar reference vectors (all L2-normalised, so the
// similarity is the dot product s): neighbour j votes exp(s_j/τ), τ = 0.07,
// for its label, and the votes are normalised to sum to 1.
func ClassifyKNN(ref [][]float32, labels []int, classes int, queries [][]float32, k int) [][]float32 {
	if len(ref) != len(labels) {
		panic(fmt.Sprintf("train: ClassifyKNN: %d reference vectors, %d labels", len(ref), len(labels)))
	}
	probs := make([][]float32, len(queries))
	type hit struct {
		sim   float32
		label int
	}
	hits := make([]hit, len(ref))
	for i, q := range queries {
		for j, t := range ref {
			s := float32(0)
			for d := range q {
				s += q[d] * t[d]
			}
			hits[j] = hit{s, labels[j]}
		}
		sort.SliceStable(hits, func(a, b int) bool { return hits[a].sim > hits[b].sim })
		vote := make([]float32, classes)
		total := 0.0
		for _, h := range hits[:min(k, len(hits))] {
			w := math.Exp(float64(h.sim-1) / knnTemperature) // shifted by the largest possible s for range
			vote[h.label] += float32(w)
			total += w
		}
		if total > 0 {
			for c := range vote {
				vote[c] = float32(float64(vote[c]) / total)
			}
		}
		probs[i] = vote
	}
	return probs
}

// LeaveOneOutKNN is the leave-one-out accuracy of ClassifyKNN's
// similarity-weighted vote: the share of rows i whose top class among the
// k nearest other rows (all but i as the reference set) is labels[i].
func LeaveOneOutKNN(feats [][]float32, labels []int, classes, k int) float64 {
	n := len(feats)
	if n < 2 || k < 1 {
		return 0
	}
	ref := make([][]float32, 0, n-1)
	refY := make([]int, 0, n-1)
	right := 0
	for i := range feats {
		ref, refY = append(append(ref[:0], feats[:i]...), feats[i+1:]...), append(append(refY[:0], labels[:i]...), labels[i+1:]...)
		probs := ClassifyKNN(ref, refY, classes, feats[i:i+1], k)[0]
		if TopK(probs, 1)[0].Class == labels[i] {
			right++
		}
	}
	return float64(right) / float64(n)
}
