package nn

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"sync"
	"testing"

	"github.com/tessera-ssl/tessera/nn/internal/cputime"
)

// refBatch is the batch size of the reference training step.
const refBatch = 32

// refStep holds one reference training step's state: the net, a fixed random
// batch, the loss and SGD with momentum.
type refStep struct {
	m       *Model
	x       *Tensor
	labels  []int
	loss    SoftmaxCrossEntropy
	dlogits *Tensor
	opt     SGD
	params  []*Param // taken once, as train.Pretrainer does (Model.Params allocates)
}

func newRefStep() *refStep {
	rng := rand.New(rand.NewPCG(1, 2))
	s := &refStep{m: NewReferenceNet(10, rng), opt: SGD{LR: 0.01, Momentum: 0.9}}
	s.params = s.m.Params()
	s.x = NewTensor(refBatch, 3, ReferenceInput, ReferenceInput)
	for i := range s.x.Data {
		s.x.Data[i] = float32(rng.NormFloat64())
	}
	s.labels = make([]int, refBatch)
	for i := range s.labels {
		s.labels[i] = rng.IntN(10)
	}
	return s
}

func (s *refStep) forward() *Tensor {
	for _, p := range s.params { // Model.ZeroGrad, without its Params calls
		clear(p.Grad)
	}
	logits := s.m.Forward(s.x, true)
	s.dlogits = Ensure(s.dlogits, logits.Shape...)
	s.loss.Forward(logits, s.labels, s.dlogits)
	return logits
}

func (s *refStep) backward() { s.m.Backward(s.dlogits) }
func (s *refStep) step()     { s.opt.Step(s.params) }

// reportSamples reports samples/s over wall time and, where the platform
// tells, cpu-samples/s over the process's CPU time (steadier on a shared
// machine; equal to the wall figure on an idle one-thread run).
func reportSamples(b *testing.B, cpu0 float64, ok0 bool) {
	cpu1, ok1 := cputime.Process()
	n := float64(b.N * refBatch)
	b.ReportMetric(n/b.Elapsed().Seconds(), "samples/s")
	if ok0 && ok1 && cpu1 > cpu0 {
		b.ReportMetric(n/(cpu1-cpu0), "cpu-samples/s")
	}
	b.ReportMetric(0, "ns/op") // the per-step time is 1/(samples/s)·32; keep one headline
}

// reportCPUPerOp reports the process's CPU microseconds per op, steadier
// than ns/op on a shared machine.
func reportCPUPerOp(b *testing.B, cpu0 float64, ok0 bool) {
	if cpu1, ok1 := cputime.Process(); ok0 && ok1 && cpu1 > cpu0 {
		b.ReportMetric((cpu1-cpu0)/float64(b.N)*1e6, "cpu-µs/op")
	}
}

// BenchmarkReferenceStep times one SGD training step of the reference CNN
// (NewReferenceNet, batch 32 of 3×32×32, softmax cross-entropy, SGD with
// momentum): zero the gradients (of params taken once, as train.Pretrainer
// does), Forward, loss, Backward, Step; it allocates nothing in steady
// state. The browser figures (make bench) compare this step against
// TensorFlow.js and ConvNetJS.
func BenchmarkReferenceStep(b *testing.B) {
	s := newRefStep()
	s.forward()
	s.backward()
	s.step()
	cpu0, ok := cputime.Process()
	b.ResetTimer()
	for b.Loop() {
		s.forward()
		s.backward()
		s.step()
	}
	reportSamples(b, cpu0, ok)
}

// benchPhase times one phase of the reference step alone, in samples/s.
func benchPhase(b *testing.B, run func(s *refStep)) {
	s := newRefStep()
	s.forward()
	s.backward()
	s.step()
	cpu0, ok := cputime.Process()
	b.ResetTimer()
	for b.Loop() {
		run(s)
	}
	reportSamples(b, cpu0, ok)
}

// BenchmarkReferenceForward times the step's forward pass with the loss
// (and ZeroGrad).
func BenchmarkReferenceForward(b *testing.B) { benchPhase(b, func(s *refStep) { s.forward() }) }

// BenchmarkReferenceBackward times the step's backward pass.
func BenchmarkReferenceBackward(b *testing.B) { benchPhase(b, func(s *refStep) { s.backward() }) }

// BenchmarkReferenceSGD times the step's optimizer update.
func BenchmarkReferenceSGD(b *testing.B) { benchPhase(b, func(s *refStep) { s.step() }) }

// BenchmarkReferenceLayers times each trunk and head layer's forward and
// backward at the reference shapes (ns/op and cpu-µs/op per batch of 32),
// to show where a step's time goes.
func BenchmarkReferenceLayers(b *testing.B) {
	s := newRefStep()
	s.forward()
	layers := append(append([]Named(nil), s.m.Trunk.Layers...), s.m.Head.Layers...)
	// Inputs and output gradients of each layer, captured from one full pass.
	ins := make([]*Tensor, len(layers))
	x := s.x
	for i, l := range layers {
		ins[i] = x.Clone()
		x = l.Layer.Forward(ins[i], true)
	}
	for i, l := range layers {
		out := l.Layer.Forward(ins[i], true)
		dy := out.Clone()
		for j := range dy.Data {
			dy.Data[j] = float32(j%7) - 3
		}
		b.Run(l.Name+"/forward", func(b *testing.B) {
			cpu0, ok := cputime.Process()
			for b.Loop() {
				l.Layer.Forward(ins[i], true)
			}
			reportCPUPerOp(b, cpu0, ok)
		})
		b.Run(l.Name+"/backward", func(b *testing.B) {
			l.Layer.Forward(ins[i], true)
			cpu0, ok := cputime.Process()
			for b.Loop() {
				l.Layer.Backward(dy)
			}
			reportCPUPerOp(b, cpu0, ok)
		})
	}
}

// BenchmarkReferenceStepDataParallel runs the reference step data-parallel
// on goroutines, as the browser does on Web Workers: K replicas each compute
// the gradient of their shard of the batch (ShardRange), the gradients are
// averaged (FlattenGrads, AverageGrads), and every replica applies the same
// update. With K up to GOMAXPROCS it shows how the step scales over cores
// natively (under wasm there is one thread, so it shows the overhead).
func BenchmarkReferenceStepDataParallel(b *testing.B) {
	for k := 1; k <= max(2, runtime.GOMAXPROCS(0)); k++ {
		b.Run(fmt.Sprintf("workers=%d", k), func(b *testing.B) {
			full := newRefStep()
			reps := make([]*refStep, k)
			vecs := make([][]float32, k)
			weights := make([]float64, k)
			for i := range reps {
				r := newRefStep() // same seed: same weights and batch
				lo, hi := ShardRange(refBatch, k, i)
				per := full.x.Len() / refBatch
				r.x = FromData(full.x.Data[lo*per:hi*per], hi-lo, 3, ReferenceInput, ReferenceInput)
				r.labels = full.labels[lo:hi]
				reps[i], weights[i] = r, float64(hi-lo)
			}
			avg := make([]float32, ParamLen(full.m.Params()))
			step := func() {
				var wg sync.WaitGroup
				for i, r := range reps {
					wg.Go(func() {
						r.forward()
						r.backward()
						vecs[i] = FlattenGrads(vecs[i], r.m.Params())
					})
				}
				wg.Wait()
				AverageGrads(avg, vecs, weights)
				for _, r := range reps {
					wg.Go(func() {
						ScatterGrads(r.m.Params(), avg)
						r.step()
					})
				}
				wg.Wait()
			}
			step()
			cpu0, ok := cputime.Process()
			b.ResetTimer()
			for b.Loop() {
				step()
			}
			reportSamples(b, cpu0, ok)
		})
	}
}
