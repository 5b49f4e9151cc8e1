package nn_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

// shapes draws one of four shapes (0 filled square, 1 disc, 2 horizontal bar,
// 3 cross) in a random colour, size and position on a noisy background:
// a small, learnable image task.
func shapes(rng *rand.Rand, n, size int) (*nn.Tensor, []int) {
	x := nn.NewTensor(n, 3, size, size)
	y := make([]int, n)
	plane := size * size
	for i := range n {
		label := i % 4
		y[i] = label
		r := size/5 + rng.IntN(size/5+1)
		cx := r + rng.IntN(size-2*r)
		cy := r + rng.IntN(size-2*r)
		var col, bg [3]float32
		for c := range 3 {
			col[c] = 0.5 + 0.5*rng.Float32()
			bg[c] = -0.5 - 0.5*rng.Float32()
			if rng.IntN(2) == 0 { // sometimes dark shapes on light ground
				col[c], bg[c] = -col[c], -bg[c]
			}
		}
		img := x.Data[i*3*plane : (i+1)*3*plane]
		for py := range size {
			for px := range size {
				dx, dy := px-cx, py-cy
				var in bool
				switch label {
				case 0:
					in = abs(dx) <= r && abs(dy) <= r
				case 1:
					in = dx*dx+dy*dy <= r*r
				case 2:
					in = abs(dx) <= r && abs(dy) <= r/3
				case 3:
					in = (abs(dx) <= r && abs(dy) <= 1) || (abs(dy) <= r && abs(dx) <= 1)
				}
				for c := range 3 {
					v := bg[c]
					if in {
						v = col[c]
					}
					img[c*plane+py*size+px] = v + 0.1*float32(rng.NormFloat64())
				}
			}
		}
	}
	return x, y
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}

// batch copies samples idx of x into a (len(idx), C, H, W) tensor.
func batch(x *nn.Tensor, y []int, idx []int) (*nn.Tensor, []int) {
	_, c, h, w := x.Dims4()
	per := c * h * w
	b := nn.NewTensor(len(idx), c, h, w)
	by := make([]int, len(idx))
	for i, j := range idx {
		copy(b.Data[i*per:(i+1)*per], x.Data[j*per:(j+1)*per])
		by[i] = y[j]
	}
	return b, by
}

func smallModel(seed uint64, classes int) *nn.Model {
	rng := rand.New(rand.NewPCG(seed, 1))
	trunk := nn.NewTrunk(nn.TrunkConfig{InChannels: 3, Widths: []int{8, 16}, ConvsPerStage: 1, BatchNorm: true}, rng)
	head := nn.NewHead(nn.HeadConfig{Kind: nn.Classifier, Classes: classes}, trunk.Config.Channels(), rng)
	return &nn.Model{Trunk: trunk, Head: head}
}

// fit trains m on (x, y) with Adam and returns the final epoch's mean loss.
func fit(t *testing.T, m *nn.Model, x *nn.Tensor, y []int, epochs, batchSize int, lr float64, seed uint64) float64 {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	opt := &nn.Adam{LR: lr, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}
	loss := &nn.SoftmaxCrossEntropy{}
	n := len(y)
	var dlogits *nn.Tensor
	last := math.Inf(1)
	for range epochs {
		perm := rng.Perm(n)
		sum, count := 0.0, 0
		for s := 0; s+batchSize <= n; s += batchSize {
			bx, by := batch(x, y, perm[s:s+batchSize])
			m.ZeroGrad()
			logits := m.Forward(bx, true)
			dlogits = nn.Ensure(dlogits, logits.Shape...)
			l, _ := loss.Forward(logits, by, dlogits)
			m.Backward(dlogits)
			opt.Step(m.Params())
			sum += l
			count++
		}
		last = sum / float64(count)
	}
	return last
}

func accuracy(m *nn.Model, x *nn.Tensor, y []int) float64 {
	logits := m.Forward(x, false)
	n, k := logits.Dims2()
	right := 0
	for i := range n {
		best := 0
		for j := range k {
			if logits.Data[i*k+j] > logits.Data[i*k+best] {
				best = j
			}
		}
		if best == y[i] {
			right++
		}
	}
	return float64(right) / float64(n)
}

// A small network memorises a small set of random-labelled images: the whole
// forward/backward/update path works end to end.
func TestFitsSmallSetExactly(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	const n, size = 32, 8
	x := nn.NewTensor(n, 3, size, size)
	for i := range x.Data {
		x.Data[i] = float32(rng.NormFloat64())
	}
	y := make([]int, n)
	for i := range y {
		y[i] = rng.IntN(4)
	}
	m := smallModel(3, 4)
	loss := fit(t, m, x, y, 150, 8, 0.01, 3)
	acc := accuracy(m, x, y)
	t.Logf("final loss %.4f, train accuracy %.1f%%", loss, 100*acc)
	if acc != 1 {
		t.Errorf("train accuracy %.1f%%, want 100%%", 100*acc)
	}
}

// A small CNN learns which of four shapes is drawn, and generalises to
// images it has not seen.
func TestLearnsShapesHeldOut(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	const size = 16
	xTrain, yTrain := shapes(rng, 512, size)
	xTest, yTest := shapes(rng, 256, size)
	m := smallModel(4, 4)
	before := accuracy(m, xTest, yTest)
	loss := fit(t, m, xTrain, yTrain, 30, 16, 0.005, 4)
	acc := accuracy(m, xTest, yTest)
	t.Logf("held-out accuracy %.1f%% → %.1f%%, final train loss %.4f", 100*before, 100*acc, loss)
	if acc < 0.95 {
		t.Errorf("held-out accuracy %.1f%%, want ≥ 95%%", 100*acc)
	}
}
