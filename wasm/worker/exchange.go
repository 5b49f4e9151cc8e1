//go:build js

package worker

import (
	"errors"
	"fmt"
	"syscall/js"
	"time"
	"unsafe"

	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/trainer"
)

// The shared memory of one data-parallel run: one SharedArrayBuffer that
// the leader allocates and posts to every replica.
//
//	bytes [0, 32)            control words (Int32Array ctrl)
//	bytes [32, 32+maxMsg)    the failure message (UTF-8)
//	bytes [slotsAt, …)       2·K slots of slotSize bytes: slot (parity, k)
//
// Sum and Sum32 copy the caller's vector into its slot of the call's parity,
// meet the others at a barrier on ctrl[arrive] (Atomics.add, then
// Atomics.wait until K·calls replicas arrived) and add all K slots in the
// order k = 0, 1, …, so every replica gets bit-identical sums. Two slot
// sets by parity make one barrier per call enough: a replica writing call
// c+2's slot has passed call c+1's barrier, which every replica reaches only
// after reading call c's slots (the benchmark's prototype, bench/worker).
const (
	ctrlArrive = iota // barrier arrivals, all calls so far
	ctrlAbort         // abortNone, abortStopped, abortFailed or abortPreempted
	ctrlClaim         // 1 once a failure claimed the message area
	ctrlFailed        // index of the failed replica
	ctrlMsgLen        // bytes of the failure message
	ctrlWords  = 8

	abortNone      = 0
	abortStopped   = 1
	abortFailed    = 2
	abortPreempted = 3 // ahead of a Stop, Reset or ClearData (trainer.ErrPreempted)

	msgAt   = 4 * ctrlWords
	maxMsg  = 4096
	slotsAt = msgAt + maxMsg

	// waitSlice bounds one Atomics.wait, so a waiting replica sees the abort
	// word even if no notify comes.
	waitSlice = 50 // ms
	// yieldEvery: the leader lets its event loop run this often while it
	// waits (replica workers' error events arrive there).
	yieldEvery = 100 * time.Millisecond
)

var atomics = js.Global().Get("Atomics")

// sharedRun is one run's SharedArrayBuffer and its views.
type sharedRun struct {
	sab      js.Value
	ctrl     js.Value // Int32Array over the control words
	bytes    js.Value // Uint8Array over the whole buffer
	workers  int
	slotSize int // bytes
}

// newSharedRun allocates the memory of a run of k replicas exchanging
// vectors of at most slotSize bytes.
func newSharedRun(k, slotSize int) *sharedRun {
	slotSize = (slotSize + 7) &^ 7
	sab := js.Global().Get("SharedArrayBuffer").New(slotsAt + 2*k*slotSize)
	return openSharedRun(sab, k, slotSize)
}

// openSharedRun wraps a run's buffer received from the leader.
func openSharedRun(sab js.Value, k, slotSize int) *sharedRun {
	return &sharedRun{
		sab: sab, workers: k, slotSize: slotSize,
		ctrl:  js.Global().Get("Int32Array").New(sab, 0, ctrlWords),
		bytes: js.Global().Get("Uint8Array").New(sab),
	}
}

func (r *sharedRun) load(i int) int { return atomics.Call("load", r.ctrl, i).Int() }

// abort ends the run on purpose, with why = abortStopped (the run is over)
// or abortPreempted (ahead of a message the session must see now); an abort
// or failure already recorded stays.
func (r *sharedRun) abort(why int) {
	atomics.Call("compareExchange", r.ctrl, ctrlAbort, abortNone, why)
	atomics.Call("notify", r.ctrl, ctrlArrive)
}

// fail records that replica index failed and aborts the run; the first
// failure wins.
func (r *sharedRun) fail(index int, err error) {
	if atomics.Call("compareExchange", r.ctrl, ctrlClaim, 0, 1).Int() == 0 {
		msg := []byte(err.Error())
		if len(msg) > maxMsg {
			msg = msg[:maxMsg]
		}
		js.CopyBytesToJS(r.bytes.Call("subarray", msgAt, msgAt+len(msg)), msg)
		atomics.Call("store", r.ctrl, ctrlFailed, index)
		atomics.Call("store", r.ctrl, ctrlMsgLen, len(msg))
		atomics.Call("store", r.ctrl, ctrlAbort, abortFailed)
	}
	atomics.Call("notify", r.ctrl, ctrlArrive)
}

// failure is the recorded replica failure, nil if none.
func (r *sharedRun) failure() error {
	if r.load(ctrlAbort) != abortFailed {
		return nil
	}
	msg := make([]byte, r.load(ctrlMsgLen))
	js.CopyBytesToGo(msg, r.bytes.Call("subarray", msgAt, msgAt+len(msg)))
	return &trainer.ReplicaError{Index: r.load(ctrlFailed), Workers: r.workers, Err: errors.New(string(msg))}
}

// abortErr is why Sum fails, nil while the run goes on.
func (r *sharedRun) abortErr() error {
	switch r.load(ctrlAbort) {
	case abortNone:
		return nil
	case abortFailed:
		return r.failure()
	case abortPreempted:
		return trainer.ErrPreempted
	}
	return train.ErrStopped
}

// sharedExchanger is one replica's train.Exchanger over a sharedRun.
type sharedExchanger struct {
	run   *sharedRun
	index int
	calls int  // Sum and Sum32 calls so far, the barrier's count
	yield bool // the leader: let the event loop run while waiting
	f64   [][]float64
	f32   [][]float32
}

func (e *sharedExchanger) Sum(v []float64) error {
	for len(e.f64) < e.run.workers {
		e.f64 = append(e.f64, nil)
	}
	return exchange(e, v, e.f64)
}

func (e *sharedExchanger) Sum32(v []float32) error {
	for len(e.f32) < e.run.workers {
		e.f32 = append(e.f32, nil)
	}
	return exchange(e, v, e.f32)
}

// exchange publishes v, waits for the others and leaves Σ_k v_k in v,
// added in the order k = 0, 1, …; scratch holds the K vectors read back.
func exchange[T float32 | float64](e *sharedExchanger, v []T, scratch [][]T) error {
	r := e.run
	if err := r.abortErr(); err != nil {
		return err
	}
	n := len(v) * int(unsafe.Sizeof(v[0]))
	if n > r.slotSize {
		err := fmt.Errorf("exchange: a vector of %d bytes does not fit the %d-byte slots", n, r.slotSize)
		r.fail(e.index, err)
		return err
	}
	parity := e.calls % 2
	slot := func(k int) js.Value {
		off := slotsAt + (parity*r.workers+k)*r.slotSize
		return r.bytes.Call("subarray", off, off+n)
	}
	js.CopyBytesToJS(slot(e.index), bytesOf(v))
	e.calls++
	if err := e.barrier(); err != nil {
		return err
	}
	for k := range r.workers {
		if cap(scratch[k]) < len(v) {
			scratch[k] = make([]T, len(v))
		}
		scratch[k] = scratch[k][:len(v)]
		js.CopyBytesToGo(bytesOf(scratch[k]), slot(k))
	}
	add(v, scratch[:r.workers])
	return nil
}

// add writes Σ_k vs[k][i] into v[i], adding in the order k = 0, 1, … in
// float64 and rounding once, as train.LocalGroup does.
func add[T float32 | float64](v []T, vs [][]T) {
	for i := range v {
		t := float64(vs[0][i])
		for _, s := range vs[1:] {
			t += float64(s[i])
		}
		v[i] = T(t)
	}
}

// barrier blocks until all K replicas made e.calls calls, or the run aborts.
func (e *sharedExchanger) barrier() error {
	r := e.run
	target := r.workers * e.calls
	if atomics.Call("add", r.ctrl, ctrlArrive, 1).Int()+1 >= target {
		atomics.Call("notify", r.ctrl, ctrlArrive)
		return nil
	}
	lastYield := time.Now()
	for {
		v := r.load(ctrlArrive)
		if v >= target {
			return nil
		}
		if err := r.abortErr(); err != nil {
			return err
		}
		atomics.Call("wait", r.ctrl, ctrlArrive, v, waitSlice)
		if e.yield && time.Since(lastYield) >= yieldEvery {
			// Atomics.wait blocks the whole worker; a short sleep returns
			// to its event loop, where a replica's error event may wait.
			time.Sleep(time.Millisecond)
			lastYield = time.Now()
		}
	}
}

func bytesOf[T float32 | float64 | uint8](v []T) []byte {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), len(v)*int(unsafe.Sizeof(v[0])))
}
