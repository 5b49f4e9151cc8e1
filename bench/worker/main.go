//go:build js && wasm

// Command worker is the benchmark's Tessera trainer: one Web Worker runs one
// copy of this binary, which trains the reference net (nn.NewReferenceNet) on
// a fixed synthetic batch of 32 images, alone or as one of K data-parallel
// replicas. It registers globalThis.tesseraBench with:
//
//	init(index, workers, seed[, task]) → number of parameters
//	times() → {task, generateMs, computeMs, exchangeMs, waitMs}  // totals so far
//	share(slots Uint8Array, ctrl Int32Array)  // SharedArrayBuffer views
//	run(steps) → loss after the last step     // 1 worker, or K via shared memory
//	grad() → {loss, grad: Float32Array}       // postMessage mode: shard gradient
//	apply(avg Float32Array)                   // postMessage mode: averaged update
//	checksum() → a weighted sum of the weights (replicas must agree)
//
// In shared-memory mode the K workers write their flat shard gradients to
// slot (step mod 2, index) of `slots`, meet at a barrier on ctrl[0]
// (Atomics.add, then Atomics.wait until K·(step+1) arrived), and each reads
// all K slots and takes the same weighted average, so every replica applies
// bit-identical updates. Two slot sets by step parity make one barrier per
// step enough: a worker writing step s+2's slot has passed step s+1's barrier,
// which every worker reaches only after reading step s's slots.
package main

import (
	"fmt"
	"math/rand/v2"
	"syscall/js"
	"time"
	"unsafe"

	"github.com/tessera-ssl/tessera/nn"
)

const batch = 32

type trainer struct {
	index, workers int
	lo, hi         int // this worker's shard of the batch
	m              *nn.Model
	params         []*nn.Param
	opt            nn.SGD
	loss           nn.SoftmaxCrossEntropy
	x              *nn.Tensor
	labels         []int
	dlogits        *nn.Tensor

	step    int         // steps taken in shared-memory mode (the barrier's count)
	flat    []float32   // this worker's flat gradient, then its loss
	vecs    [][]float32 // all workers' gradients and losses, read from shared memory
	grads   [][]float32 // vecs without the losses
	weights []float64   // shard sizes
	avg     []float32
	job     *pretextJob // nil: the fixed reference batch

	// Time spent computing (gradient and optimizer step), exchanging
	// gradients (copies and averaging, waiting included) and, of that,
	// waiting at the barrier for the other workers.
	compute, exchanged, waited time.Duration
	slots                      js.Value // Uint8Array over the SharedArrayBuffer of 2·K gradient slots
	atomics                    js.Value
	ctrl                       js.Value // Int32Array: [0] barrier arrivals
}

var t *trainer

func main() {
	api := js.Global().Get("Object").New()
	api.Set("init", js.FuncOf(func(_ js.Value, a []js.Value) any {
		task := ""
		if len(a) > 3 && a[3].Type() == js.TypeString {
			task = a[3].String()
		}
		t = newTrainer(a[0].Int(), a[1].Int(), uint64(a[2].Int()), task)
		return len(t.avg)
	}))
	api.Set("share", js.FuncOf(func(_ js.Value, a []js.Value) any {
		t.slots, t.ctrl = a[0], a[1]
		t.atomics = js.Global().Get("Atomics")
		return nil
	}))
	api.Set("run", js.FuncOf(func(_ js.Value, a []js.Value) any { return t.run(a[0].Int()) }))
	api.Set("grad", js.FuncOf(func(_ js.Value, a []js.Value) any {
		l := t.gradient()
		flat := nn.FlattenGrads(t.flat[:len(t.avg)], t.params)
		g := js.Global().Get("Float32Array").New(len(flat))
		js.CopyBytesToJS(js.Global().Get("Uint8Array").New(g.Get("buffer")), floatBytes(flat))
		r := js.Global().Get("Object").New()
		r.Set("loss", l)
		r.Set("grad", g)
		return r
	}))
	api.Set("apply", js.FuncOf(func(_ js.Value, a []js.Value) any {
		js.CopyBytesToGo(floatBytes(t.avg), js.Global().Get("Uint8Array").New(a[0].Get("buffer"), a[0].Get("byteOffset"), a[0].Get("byteLength")))
		nn.ScatterGrads(t.params, t.avg)
		t.opt.Step(t.params)
		return nil
	}))
	api.Set("times", js.FuncOf(func(_ js.Value, a []js.Value) any {
		r := js.Global().Get("Object").New()
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }
		if t.job != nil {
			r.Set("task", t.job.task.Name())
			r.Set("generateMs", ms(t.job.gen))
		}
		r.Set("computeMs", ms(t.compute))
		r.Set("exchangeMs", ms(t.exchanged))
		r.Set("waitMs", ms(t.waited))
		return r
	}))
	api.Set("checksum", js.FuncOf(func(_ js.Value, a []js.Value) any {
		sum := 0.0
		for i, v := range nn.FlattenValues(nil, t.params) {
			sum += float64(v) * float64(i%7+1)
		}
		return sum
	}))
	js.Global().Set("tesseraBench", api)
	select {}
}

// newTrainer builds the replica: the same seed gives every worker the same
// weights and the same batch; the worker keeps its shard of the batch. With
// a pretext task ("rotation", "jigsaw") the worker makes a new batch of its
// shard's size every step instead.
func newTrainer(index, workers int, seed uint64, task string) *trainer {
	rng := rand.New(rand.NewPCG(seed, 1))
	tr := &trainer{index: index, workers: workers, opt: nn.SGD{LR: 0.01, Momentum: 0.9}}
	tr.lo, tr.hi = nn.ShardRange(batch, workers, index)
	if task == "" {
		tr.m = nn.NewReferenceNet(10, rng)
		s := nn.ReferenceInput
		x := make([]float32, batch*3*s*s)
		for i := range x {
			x[i] = rng.Float32()
		}
		labels := make([]int, batch)
		for i := range labels {
			labels[i] = rng.IntN(10)
		}
		per := 3 * s * s
		tr.x = nn.FromData(x[tr.lo*per:tr.hi*per], tr.hi-tr.lo, 3, s, s)
		tr.labels = labels[tr.lo:tr.hi]
	} else {
		m, pt := newPretextModel(task, rng)
		tr.m = m
		tr.job = &pretextJob{task: pt, images: syntheticImages(64, nn.ReferenceInput, rng),
			rng: rand.New(rand.NewPCG(seed, uint64(index)+2))}
		n, ts := tr.hi-tr.lo, pt.TileSize()
		if n%pt.SamplesPerImage() != 0 {
			panic(fmt.Sprintf("bench worker: shard of %d samples is not whole images of %d", n, pt.SamplesPerImage()))
		}
		tr.x = nn.NewTensor(n*pt.Tiles(), 3, ts, ts)
		tr.labels = make([]int, n*pt.Positions())
	}
	tr.params = tr.m.Params()
	n := nn.ParamLen(tr.params)
	tr.flat, tr.avg = make([]float32, n+1), make([]float32, n)
	for k := range workers {
		tr.vecs = append(tr.vecs, make([]float32, n+1))
		tr.grads = append(tr.grads, tr.vecs[k][:n])
		lo, hi := nn.ShardRange(batch, workers, k)
		tr.weights = append(tr.weights, float64(hi-lo))
	}
	return tr
}

// gradient zeroes the gradients and runs forward, loss and backward on this
// worker's shard, returning the shard's mean loss.
func (tr *trainer) gradient() float64 {
	tr.m.ZeroGrad()
	logits := tr.m.Forward(tr.x, true)
	tr.dlogits = nn.Ensure(tr.dlogits, logits.Shape...)
	l, _ := tr.loss.Forward(logits, tr.labels, tr.dlogits)
	tr.m.Backward(tr.dlogits)
	return l
}

// run trains for steps and returns the last step's loss over the whole
// batch (the shard losses averaged by shard size).
func (tr *trainer) run(steps int) float64 {
	var loss float64
	for range steps {
		if tr.job != nil {
			tr.job.fill(tr.x.Data, tr.labels, tr.hi-tr.lo)
		}
		t0 := time.Now()
		loss = tr.gradient()
		if tr.workers > 1 {
			t1 := time.Now()
			loss = tr.exchange(tr.step, loss)
			tr.step++
			d := time.Since(t1)
			tr.exchanged += d
			tr.compute -= d
		}
		tr.opt.Step(tr.params)
		tr.compute += time.Since(t0) // minus the exchange, below
	}
	return loss
}

// exchange publishes this worker's gradient and loss, waits for the others
// and leaves the weighted average in the parameters' gradients.
func (tr *trainer) exchange(step int, loss float64) float64 {
	n := len(tr.avg)
	slot := func(k int) js.Value { // bytes of slot (parity, k): n floats + 1 loss float
		off := ((step%2)*tr.workers + k) * (n + 1) * 4
		return tr.slots.Call("subarray", off, off+(n+1)*4)
	}
	nn.FlattenGrads(tr.flat[:n], tr.params)
	tr.flat[n] = float32(loss)
	js.CopyBytesToJS(slot(tr.index), floatBytes(tr.flat))
	t0 := time.Now()
	tr.barrier(step)
	tr.waited += time.Since(t0)
	total := 0.0
	for k := range tr.workers {
		js.CopyBytesToGo(floatBytes(tr.vecs[k]), slot(k))
		total += float64(tr.vecs[k][n]) * tr.weights[k] / batch
	}
	nn.AverageGrads(tr.avg, tr.grads, tr.weights)
	nn.ScatterGrads(tr.params, tr.avg)
	return total
}

// barrier blocks until all workers have arrived at step's barrier.
func (tr *trainer) barrier(step int) {
	target := tr.workers * (step + 1)
	if tr.atomics.Call("add", tr.ctrl, 0, 1).Int()+1 >= target {
		tr.atomics.Call("notify", tr.ctrl, 0)
		return
	}
	for {
		v := tr.atomics.Call("load", tr.ctrl, 0).Int()
		if v >= target {
			return
		}
		tr.atomics.Call("wait", tr.ctrl, 0, v)
	}
}

func floatBytes(f []float32) []byte {
	if len(f) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&f[0])), 4*len(f))
}
