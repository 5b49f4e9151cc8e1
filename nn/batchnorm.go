package nn

import (
	"fmt"
	"math"

	"github.com/tessera-ssl/tessera/nn/kernel"
)

// BatchNorm2D normalises each channel of an NCHW batch, PyTorch's
// nn.BatchNorm2d (momentum 0.1, eps 1e-5, affine, tracking running stats).
// With m = N·H·W values per channel c:
//
//	train: μ = (1/m) Σ x,  σ² = (1/m) Σ (x − μ)²           (biased, used to normalise)
//	       running_mean ← (1 − momentum)·running_mean + momentum·μ
//	       running_var  ← (1 − momentum)·running_var  + momentum·σ²·m/(m − 1)   (unbiased)
//	eval:  μ = running_mean, σ² = running_var
//	x̂ = (x − μ) / √(σ² + eps),   y = γ·x̂ + β
//
// Backward (dγ += Σ dy·x̂, dβ += Σ dy) differentiates through the batch
// statistics in train mode:
//
//	dx = γ/√(σ² + eps) · (dy − (1/m) Σ dy − x̂·(1/m) Σ dy·x̂)
//
// and in eval mode, where μ and σ² are constants, dx = γ/√(σ² + eps) · dy.
//
// Synchronized batch norm (data parallelism). When Sync is set, each of K
// replicas holds a shard of the batch (m_k values per channel, m = Σ_k m_k)
// and the layer normalises with the statistics of the whole batch, so K
// replicas compute what one layer would on the concatenated batch, up to
// float rounding. Sync(v) must replace v, in every replica, with the
// element-wise sum of the replicas' v (the same length everywhere). In train
// mode Forward calls it once with, per channel c, in one float64 vector
//
//	v = [S_0 … S_{C−1}, Q_0 … Q_{C−1}, m_k]
//	S_c = Σ x,   Q_c = M2_c + S_c²/m_k = Σ x²,   M2_c = Σ (x − S_c/m_k)²
//
// (Q is computed from the shard's two-pass M2, which is more accurate than
// summing float32 squares), and normalises with the global
//
//	μ = ΣS/m,   σ² = max(0, ΣQ/m − μ²)
//
// (running statistics then use μ and the unbiased σ²·m/(m − 1) with the
// global m, so they agree across replicas). Backward calls Sync once with
//
//	v = [Σ dy (C values), Σ dy·x̂ (C values)]
//
// and uses the global sums and m in dx above; dγ and dβ receive the LOCAL
// sums (the caller sums parameter gradients across replicas afterwards).
// Eval mode never calls Sync. Sync may panic to abort the step; the layer is
// then left mid-step (running statistics possibly updated) and the caller
// restores what it needs. Without Sync the layer computes exactly as above.
type BatchNorm2D struct {
	C        int
	Momentum float64
	Eps      float64
	Weight   *Param // γ, (C), initialised to 1
	Bias     *Param // β, (C), initialised to 0

	RunningMean *Buffer // (C), initialised to 0
	RunningVar  *Buffer // (C), initialised to 1

	// Sync, when set, sums a vector over the replicas of a data-parallel
	// run (see above); nil for the ordinary single-batch layer.
	Sync func(sums []float64)

	train   bool
	mAll    float64   // m of the last train Forward (global under Sync)
	sums    []float64 // Sync's vector: 2C+1 in Forward, 2C in Backward
	invStd  []float32 // (C): 1/√(σ² + eps) of the last Forward
	xhat    []float32 // x̂ of the last Forward
	out, dx *Tensor
}

// NewBatchNorm2D returns batch normalisation over c channels with PyTorch's
// defaults.
func NewBatchNorm2D(c int) *BatchNorm2D {
	if c <= 0 {
		panic(fmt.Sprintf("nn: NewBatchNorm2D(%d): channels must be positive", c))
	}
	l := &BatchNorm2D{C: c, Momentum: 0.1, Eps: 1e-5,
		Weight: NewParam("weight", c), Bias: NewParam("bias", c),
		RunningMean: &Buffer{Name: "running_mean", Shape: []int{c}, Value: make([]float32, c)},
		RunningVar:  &Buffer{Name: "running_var", Shape: []int{c}, Value: make([]float32, c)},
		invStd:      make([]float32, c),
	}
	l.Weight.NoDecay, l.Bias.NoDecay = true, true
	Fill(l.Weight.Value, 1)
	Fill(l.RunningVar.Value, 1)
	return l
}

// Params returns γ ("weight") and β ("bias").
func (l *BatchNorm2D) Params() []*Param { return []*Param{l.Weight, l.Bias} }

// Buffers returns the running statistics.
func (l *BatchNorm2D) Buffers() []*Buffer { return []*Buffer{l.RunningMean, l.RunningVar} }

// Forward normalises x (N, C, H, W) with batch statistics when train is set
// (updating the running statistics; the whole batch's statistics when Sync
// is set) and with the running statistics otherwise.
func (l *BatchNorm2D) Forward(x *Tensor, train bool) *Tensor {
	n, c, h, w := x.Dims4()
	if c != l.C {
		panic(fmt.Sprintf("nn: BatchNorm2D: input has %d channels, want %d", c, l.C))
	}
	hw := h * w
	m := n * hw
	sync := train && l.Sync != nil
	if train && !sync && m < 2 {
		panic(fmt.Sprintf("nn: BatchNorm2D: training needs more than one value per channel, have shape %v", x.Shape))
	}
	l.train = train
	l.out = Ensure(l.out, x.Shape...)
	l.xhat = resize(l.xhat, len(x.Data))
	if sync {
		l.syncStats(x)
	} else if train {
		l.mAll = float64(m)
	}
	for ci := range c {
		var mean, variance float64
		switch {
		case sync:
			mean, variance = l.sums[ci], l.sums[c+ci]
		case train:
			s, m2 := channelMoments(x, ci)
			mean, variance = s/float64(m), m2/float64(m)
		default:
			mean, variance = float64(l.RunningMean.Value[ci]), float64(l.RunningVar.Value[ci])
		}
		if train {
			mom := l.Momentum
			rm, rv := &l.RunningMean.Value[ci], &l.RunningVar.Value[ci]
			*rm = float32((1-mom)*float64(*rm) + mom*mean)
			*rv = float32((1-mom)*float64(*rv) + mom*variance*l.mAll/(l.mAll-1))
		}
		inv := float32(1 / math.Sqrt(variance+l.Eps))
		l.invStd[ci] = inv
		mu, g, b := float32(mean), l.Weight.Value[ci], l.Bias.Value[ci]
		for i := range n {
			off := (i*c + ci) * hw
			kernel.Normalize(l.out.Data[off:off+hw], l.xhat[off:off+hw], x.Data[off:off+hw], mu, inv, g, b)
		}
	}
	return l.out
}

// syncStats packs the shard's per-channel S, Q and m_k into l.sums, calls
// Sync, and leaves the global μ in l.sums[0:C], σ² in l.sums[C:2C] and the
// global m in l.mAll. Q is Σ x² computed exactly from the two-pass
// M2 = Σ (x − μ̃)² about the float32 shard mean μ̃: Σ x² = M2 + μ̃·(2S − m_k·μ̃).
func (l *BatchNorm2D) syncStats(x *Tensor) {
	n, c, h, w := x.Dims4()
	mk := float64(n * h * w)
	l.sums = growFloat64(l.sums, 2*c+1)
	for ci := range c {
		s, q := channelMoments(x, ci)
		if mk > 0 {
			mu := float64(float32(s / mk))
			q += mu * (2*s - mk*mu)
		}
		l.sums[ci], l.sums[c+ci] = s, q
	}
	l.sums[2*c] = mk
	l.Sync(l.sums)
	m := l.sums[2*c]
	if m < 2 {
		panic(fmt.Sprintf("nn: BatchNorm2D: training needs more than one value per channel over all replicas, have %v", m))
	}
	l.mAll = m
	for ci := range c {
		mean := l.sums[ci] / m
		l.sums[ci] = mean
		l.sums[c+ci] = max(0, l.sums[c+ci]/m-mean*mean)
	}
}

// channelMoments returns, over channel ci of x (N, C, H, W), S = Σ x and
// the two-pass M2 = Σ (x − μ̃)² about the float32 mean μ̃ = float32(S/m),
// m = N·H·W (M2 = 0 when m = 0).
func channelMoments(x *Tensor, ci int) (s, m2 float64) {
	n, c, h, w := x.Dims4()
	hw := h * w
	for i := range n {
		s += kernel.Sum(x.Data[(i*c+ci)*hw : (i*c+ci+1)*hw])
	}
	mu := float32(s / float64(n*hw))
	for i := range n {
		m2 += kernel.SumSqDev(x.Data[(i*c+ci)*hw:(i*c+ci+1)*hw], mu)
	}
	return s, m2
}

// Backward adds dγ and dβ into the parameter gradients and returns dL/dx.
// Under Sync (train mode) dx uses the sums over all replicas, and dγ, dβ
// the shard's own.
func (l *BatchNorm2D) Backward(dy *Tensor) *Tensor {
	n, c, h, w := dy.Dims4()
	if c != l.C || len(dy.Data) != len(l.xhat) {
		panic(fmt.Sprintf("nn: BatchNorm2D.Backward: dy has shape %v, forward had %v", dy.Shape, l.out.Shape))
	}
	hw := h * w
	l.dx = Ensure(l.dx, dy.Shape...)
	// Local Σ dy and Σ dy·x̂ per channel go into dβ and dγ; under Sync (train
	// mode) one Sync then makes them the sums over all replicas, and m the
	// global count of the forward pass, for dx.
	l.sums = growFloat64(l.sums, 2*c)
	for ci := range c {
		var sdy, sdyx float64
		for i := range n {
			off := (i*c + ci) * hw
			a, b := kernel.SumDot(dy.Data[off:off+hw], l.xhat[off:off+hw])
			sdy += a
			sdyx += b
		}
		l.Bias.Grad[ci] += float32(sdy)
		l.Weight.Grad[ci] += float32(sdyx)
		l.sums[ci], l.sums[c+ci] = sdy, sdyx
	}
	m := float32(n * hw)
	if l.train && l.Sync != nil {
		l.Sync(l.sums)
		m = float32(l.mAll)
	}
	for ci := range c {
		k := l.Weight.Value[ci] * l.invStd[ci]
		var mdy, mdyx float32 // means subtracted in train mode only
		if l.train {
			mdy, mdyx = float32(l.sums[ci])/m, float32(l.sums[c+ci])/m
		}
		for i := range n {
			off := (i*c + ci) * hw
			kernel.NormalizeBack(l.dx.Data[off:off+hw], dy.Data[off:off+hw], l.xhat[off:off+hw], k, mdy, mdyx)
		}
	}
	return l.dx
}
