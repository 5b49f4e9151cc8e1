package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/nn/nntest"
)

// refCrossEntropy is the textbook definition, one position at a time:
// positions index (n, h, w); class c of position (n, p) is at n·K·HW + c·HW + p.
func refCrossEntropy(logits *nn.Tensor, labels []int, eps float64, weights []float32) (loss float64, correct int) {
	n, k := logits.Shape[0], logits.Shape[1]
	hw := logits.Len() / (n * k)
	num, den := 0.0, 0.0
	for b := range n {
		for p := range hw {
			y := labels[b*hw+p]
			if y == -1 {
				continue
			}
			z := make([]float64, k)
			for c := range z {
				z[c] = float64(logits.Data[b*k*hw+c*hw+p])
			}
			mx, arg := math.Inf(-1), 0
			for c, v := range z {
				if v > mx {
					mx, arg = v, c
				}
			}
			s := 0.0
			for _, v := range z {
				s += math.Exp(v - mx)
			}
			l := 0.0
			for c, v := range z {
				q := eps / float64(k)
				if c == y {
					q += 1 - eps
				}
				l -= q * (v - mx - math.Log(s))
			}
			w := 1.0
			if weights != nil {
				w = float64(weights[y])
			}
			num += w * l
			den += w
			if arg == y {
				correct++
			}
		}
	}
	if den == 0 {
		return 0, correct
	}
	return num / den, correct
}

type ceCase struct {
	name      string
	shape     []int
	smoothing float32
	weights   []float32
	ignore    int // every ignore-th label is -1 (0: none)
}

var ceCases = []ceCase{
	{name: "NK", shape: []int{5, 4}},
	{name: "NK/smoothing", shape: []int{5, 4}, smoothing: 0.1},
	{name: "NK/weights", shape: []int{6, 3}, weights: []float32{0.5, 2, 1.25}},
	{name: "NK/ignore", shape: []int{6, 3}, ignore: 3},
	{name: "NKHW", shape: []int{2, 5, 3, 2}},
	{name: "NKHW/all", shape: []int{2, 4, 2, 3}, smoothing: 0.2, weights: []float32{1, 0.25, 3, 0.5}, ignore: 4},
	{name: "NK/one-class", shape: []int{3, 1}, smoothing: 0.3},
}

func (c ceCase) inputs(rng *rand.Rand) (*nn.Tensor, []int) {
	logits := nntest.Random(rng, c.shape...)
	for i := range logits.Data {
		logits.Data[i] *= 2
	}
	positions := logits.Len() / c.shape[1]
	labels := make([]int, positions)
	for i := range labels {
		labels[i] = rng.IntN(c.shape[1])
		if c.ignore > 0 && i%c.ignore == 1 {
			labels[i] = -1
		}
	}
	return logits, labels
}

func TestSoftmaxCrossEntropyMatchesDefinition(t *testing.T) {
	for _, c := range ceCases {
		t.Run(c.name, func(t *testing.T) {
			logits, labels := c.inputs(rand.New(rand.NewPCG(1, 2)))
			l := &nn.SoftmaxCrossEntropy{Smoothing: c.smoothing, ClassWeights: c.weights}
			got, gotCorrect := l.Forward(logits, labels, nil)
			want, wantCorrect := refCrossEntropy(logits, labels, float64(c.smoothing), c.weights)
			if math.Abs(got-want) > 1e-9*math.Max(1, math.Abs(want)) || gotCorrect != wantCorrect {
				t.Errorf("loss, correct = %.12g, %d; want %.12g, %d", got, gotCorrect, want, wantCorrect)
			}
			// Asking for the gradient must not change the loss.
			d := nn.NewTensor(logits.Shape...)
			if again, _ := l.Forward(logits, labels, d); again != got {
				t.Errorf("loss with dlogits %.12g, without %.12g", again, got)
			}
		})
	}
}

func TestSoftmaxCrossEntropyGradient(t *testing.T) {
	for _, c := range ceCases {
		t.Run(c.name, func(t *testing.T) {
			logits, labels := c.inputs(rand.New(rand.NewPCG(3, 4)))
			l := &nn.SoftmaxCrossEntropy{Smoothing: c.smoothing, ClassWeights: c.weights}
			d := nn.NewTensor(logits.Shape...)
			for i := range d.Data {
				d.Data[i] = 99 // must be overwritten, ignored positions included
			}
			l.Forward(logits, labels, d)
			loss := func() float64 { v, _ := l.Forward(logits, labels, nil); return v }
			rep := nntest.Check(loss, []nntest.Var{{Name: "logits", Value: logits.Data, Analytic: d.Data}},
				nntest.Options{Eps: 1e-3, Tol: 2e-3, Floor: 1e-4, MaxEach: -1})
			if rep.Worst > 2e-3 || rep.Checked != logits.Len() {
				t.Errorf("gradient check: %v", rep)
			}
			// Ignored positions get exactly zero gradient.
			k := c.shape[1]
			hw := logits.Len() / (c.shape[0] * k)
			for i, y := range labels {
				if y != -1 {
					continue
				}
				b, p := i/hw, i%hw
				for cl := range k {
					if g := d.Data[b*k*hw+cl*hw+p]; g != 0 {
						t.Errorf("ignored position %d class %d has gradient %g", i, cl, g)
					}
				}
			}
		})
	}
}

func TestSoftmaxCrossEntropyByHand(t *testing.T) {
	// Two equal logits: loss ln 2, gradient ±1/2 scaled by 1/N.
	logits := nn.FromData([]float32{0, 0, 3, 1, 1, 3}, 3, 2)
	d := nn.NewTensor(3, 2)
	var l nn.SoftmaxCrossEntropy
	loss, correct := l.Forward(logits, []int{0, 0, 0}, d)
	e2 := math.Exp(2)
	want := (math.Ln2 + math.Log1p(1/e2) + math.Log1p(e2)) / 3
	if math.Abs(loss-want) > 1e-7 {
		t.Errorf("loss %.9g, want %.9g", loss, want)
	}
	// argmax of [0 0] is class 0 (first on ties), [3 1] is 0, [1 3] is 1.
	if correct != 2 {
		t.Errorf("correct %d, want 2", correct)
	}
	if g := d.Data[0]; math.Abs(float64(g)+0.5/3) > 1e-7 {
		t.Errorf("dlogits[0] = %g, want %g", g, -0.5/3)
	}
}

func TestSoftmaxCrossEntropyStableAndIgnored(t *testing.T) {
	var l nn.SoftmaxCrossEntropy
	logits := nn.FromData([]float32{1000, -1000, 0, -1e30, 1e30, 5}, 2, 3)
	d := nn.NewTensor(2, 3)
	loss, correct := l.Forward(logits, []int{1, 1}, d)
	if math.IsNaN(loss) || math.IsInf(loss, 0) || math.Abs(loss-1000) > 1e-3 {
		t.Errorf("loss %g, want ≈ 1000 (half of 2000 + 0)", loss)
	}
	if correct != 1 {
		t.Errorf("correct %d, want 1", correct)
	}
	for i, g := range d.Data {
		if math.IsNaN(float64(g)) || math.IsInf(float64(g), 0) {
			t.Errorf("dlogits[%d] = %g", i, g)
		}
	}

	// Nothing counts: zero loss and gradient rather than NaN.
	d.Data[0] = 7
	loss, correct = l.Forward(logits, []int{-1, -1}, d)
	if loss != 0 || correct != 0 || d.Data[0] != 0 {
		t.Errorf("all ignored: loss %g, correct %d, dlogits[0] %g; want 0, 0, 0", loss, correct, d.Data[0])
	}
}

// Total is the weight the last Forward normalised by: Σ w[y] over the
// counted positions (their count without weights), 0 when none counted.
func TestSoftmaxCrossEntropyTotal(t *testing.T) {
	logits := nn.FromData([]float32{0, 1, 2, 3, 4, 5, 6, 7}, 4, 2)
	for _, tc := range []struct {
		name    string
		weights []float32
		labels  []int
		want    float64
	}{
		{"no weights", nil, []int{0, 1, 1, 0}, 4},
		{"no weights, ignored", nil, []int{0, nn.IgnoreLabel, 1, nn.IgnoreLabel}, 2},
		{"weights", []float32{0.5, 2}, []int{0, 1, 1, nn.IgnoreLabel}, 4.5},
		{"all ignored", []float32{0.5, 2}, []int{-1, -1, -1, -1}, 0},
	} {
		l := nn.SoftmaxCrossEntropy{ClassWeights: tc.weights}
		l.Forward(logits, tc.labels, nil)
		if got := l.Total(); got != tc.want {
			t.Errorf("%s: Total() = %g, want %g", tc.name, got, tc.want)
		}
	}
}

func TestSoftmaxCrossEntropyPanics(t *testing.T) {
	logits := nn.NewTensor(2, 3)
	cases := []struct {
		name string
		f    func()
	}{
		{"label too big", func() { (&nn.SoftmaxCrossEntropy{}).Forward(logits, []int{0, 3}, nil) }},
		{"label -2", func() { (&nn.SoftmaxCrossEntropy{}).Forward(logits, []int{-2, 0}, nil) }},
		{"label count", func() { (&nn.SoftmaxCrossEntropy{}).Forward(logits, []int{0}, nil) }},
		{"dlogits shape", func() { (&nn.SoftmaxCrossEntropy{}).Forward(logits, []int{0, 1}, nn.NewTensor(3, 2)) }},
		{"rank 3", func() { (&nn.SoftmaxCrossEntropy{}).Forward(nn.NewTensor(2, 3, 1), []int{0, 1}, nil) }},
		{"weights", func() { (&nn.SoftmaxCrossEntropy{ClassWeights: []float32{1}}).Forward(logits, []int{0, 1}, nil) }},
		{"smoothing", func() { (&nn.SoftmaxCrossEntropy{Smoothing: 1.5}).Forward(logits, []int{0, 1}, nil) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			c.f()
		})
	}
}

func TestProbabilities(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, shape := range [][]int{{3, 4}, {2, 3, 2, 5}} {
		logits := nntest.Random(rng, shape...)
		logits.Data[0] = 500 // stability
		p := nn.Probabilities(logits, nil)
		n, k := shape[0], shape[1]
		hw := logits.Len() / (n * k)
		for b := range n {
			for pos := range hw {
				sum, zsum := 0.0, 0.0
				for c := range k {
					sum += float64(p.Data[b*k*hw+c*hw+pos])
					zsum += math.Exp(float64(logits.Data[b*k*hw+c*hw+pos]))
				}
				if math.Abs(sum-1) > 1e-6 {
					t.Errorf("shape %v position (%d,%d): probabilities sum to %g", shape, b, pos, sum)
				}
				if b == 0 && pos == 0 {
					continue // exp(500) overflows the naive reference
				}
				for c := range k {
					want := math.Exp(float64(logits.Data[b*k*hw+c*hw+pos])) / zsum
					if got := float64(p.Data[b*k*hw+c*hw+pos]); math.Abs(got-want) > 1e-6 {
						t.Errorf("shape %v p[%d,%d,%d] = %g, want %g", shape, b, c, pos, got, want)
					}
				}
			}
		}
		if p.Data[0] < 0.999999 {
			t.Errorf("dominant logit has probability %g", p.Data[0])
		}
	}
}
