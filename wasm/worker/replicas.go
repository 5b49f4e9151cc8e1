//go:build js

package worker

import (
	"encoding/json"
	"errors"
	"fmt"
	"syscall/js"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/jsutil"
	"github.com/tessera-ssl/tessera/wasm/protocol"
	"github.com/tessera-ssl/tessera/wasm/trainer"
)

// The leader's side of data-parallel training: it spawns replica
// workers (nested dedicated workers running this same binary, named
// "replica"), keeps them between runs so a run does not pay for compiling
// the wasm again, and hands each run to them as a protocol.ReplicaJob: the
// job, the replica's index, the run's SharedArrayBuffer and the pool's
// pixels (a SharedArrayBuffer too, shared rather than copied, and kept
// while the pool stays the same).
//
// Messages from a replica: protocol.ReplicaFailed when its run failed (it
// has also recorded that in the shared memory), protocol.ReplicaIdle when
// it finished a run, and web/worker.js's protocol.Error when its Go
// program could not start or exited. An error event or an Error message
// kills the replica: the leader records the failure in the run's memory
// (the leader's waiting exchange sees it) and drops it.

// replicaWorker is one spawned replica.
type replicaWorker struct {
	w     js.Value
	run   *leaderGroup // the run it serves, nil when idle
	index int
	dead  bool
	funcs []js.Func
}

// replicaHost is the leader's pool of replica workers.
type replicaHost struct {
	workers []*replicaWorker
	runs    int // run ids

	// The pool's pixels in shared memory, and which pool they hold.
	pool    []*pretext.Image
	poolSAB js.Value
	poolID  int
}

var host replicaHost

// leaderGroup is one run, as trainer.ReplicaGroup.
type leaderGroup struct {
	id      int
	shared  *sharedRun
	ex      *sharedExchanger
	members []*replicaWorker // replicas 1..K−1
	stopped bool
}

func (g *leaderGroup) Exchanger() train.Exchanger { return g.ex }
func (g *leaderGroup) Failure() error             { return g.shared.failure() }

// Stop aborts the run; the replicas see it at their next exchange and go
// idle. The run's memory is its own, so they cannot disturb a later run.
func (g *leaderGroup) Stop() {
	if g.stopped {
		return
	}
	g.stopped = true
	g.shared.abort(abortStopped)
	for _, w := range g.members {
		if w.run == g {
			w.run = nil
		}
	}
}

// abortRuns aborts the exchanges of the runs the replicas serve but leaves
// the groups to the session, which sees trainer.ErrPreempted and closes
// them itself.
func (h *replicaHost) abortRuns() {
	for _, w := range h.workers {
		if g := w.run; g != nil && !g.stopped {
			g.shared.abort(abortPreempted)
		}
	}
}

// Replicas starts replicas 1..job.Workers−1 of a run.
func (env) Replicas(job trainer.ReplicaJob, pool []*pretext.Image) (_ trainer.ReplicaGroup, err error) {
	switch {
	case !self.Get("crossOriginIsolated").Truthy() || self.Get("SharedArrayBuffer").IsUndefined():
		return nil, errors.New("the page is not cross-origin isolated, so workers cannot share memory")
	case self.Get("Worker").IsUndefined():
		return nil, errors.New("this browser cannot start workers from a worker")
	}
	var g *leaderGroup
	defer func() { // a JS exception (out of memory for the shared buffers, say)
		if r := recover(); r != nil {
			if g != nil {
				g.Stop()
			}
			err = fmt.Errorf("starting the replica workers: %v", r)
		}
	}()
	// The slots hold the largest vector exchanged: the flat gradient, as
	// float64 at most, plus room for the smaller statistics.
	slot := 8*job.Params + 64<<10
	jobJSON, err := json.Marshal(job)
	if err != nil {
		return nil, err
	}
	h := &host
	h.runs++
	g = &leaderGroup{id: h.runs, shared: newSharedRun(job.Workers, slot)}
	g.ex = &sharedExchanger{run: g.shared, index: 0, yield: true}
	poolSAB, poolID := h.sharePool(pool)
	h.resize(job.Workers - 1)
	for i, w := range h.workers {
		w.run, w.index = g, i+1
		g.members = append(g.members, w)
		msg, err := protocol.ObjectWith(&protocol.ReplicaJob{
			Run: g.id, Index: i + 1, Workers: job.Workers, Job: jobJSON, SlotSize: g.shared.slotSize,
			PoolID: poolID, Images: len(pool), Size: pool[0].Width,
		}, []js.Value{g.shared.sab, poolSAB})
		if err != nil {
			g.Stop()
			return nil, err
		}
		w.w.Call("postMessage", msg)
	}
	return g, nil
}

// sharePool copies the pool's pixels into shared memory, unless they are
// there already.
func (h *replicaHost) sharePool(pool []*pretext.Image) (js.Value, int) {
	same := len(pool) == len(h.pool)
	for i := 0; same && i < len(pool); i++ {
		same = pool[i] == h.pool[i]
	}
	if same {
		return h.poolSAB, h.poolID
	}
	per := len(pool[0].Pix)
	sab := js.Global().Get("SharedArrayBuffer").New(len(pool) * per)
	u := js.Global().Get("Uint8Array").New(sab)
	for i, img := range pool {
		js.CopyBytesToJS(u.Call("subarray", i*per, (i+1)*per), img.Pix)
	}
	h.poolSAB = sab
	h.pool = append(h.pool[:0], pool...)
	h.poolID++
	return h.poolSAB, h.poolID
}

// resize keeps exactly n live replica workers: dead ones are dropped,
// missing ones spawned, extra ones terminated.
func (h *replicaHost) resize(n int) {
	live := h.workers[:0]
	for _, w := range h.workers {
		if !w.dead {
			live = append(live, w)
		}
	}
	h.workers = live
	for len(h.workers) > n {
		last := h.workers[len(h.workers)-1]
		last.kill()
		h.workers = h.workers[:len(h.workers)-1]
	}
	for len(h.workers) < n {
		h.workers = append(h.workers, spawnReplica())
	}
}

// spawnReplica starts a replica worker; it compiles the wasm meanwhile and
// takes its first job when ready (web/worker.js queues messages till then).
func spawnReplica() *replicaWorker {
	w := &replicaWorker{}
	opts := js.Global().Get("Object").New()
	opts.Set("name", "replica")
	w.w = js.Global().Get("Worker").New("/web/worker.js", opts)
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		m, err := decodeReplica(args[0].Get("data"))
		if err != nil {
			m = &protocol.Error{Message: "the replica sent a bad message: " + err.Error()}
		}
		switch m := m.(type) {
		case *protocol.ReplicaIdle:
			if w.run != nil && w.run.id == m.Run {
				w.run = nil
			}
		case *protocol.ReplicaFailed: // recovered, but drop it: a clean worker next time
			if w.run != nil && w.run.id == m.Run {
				w.failed(errors.New(m.Message))
			}
			w.kill()
		case *protocol.Error: // from web/worker.js: the Go program is gone
			msg := m.Message
			if msg == "" {
				msg = "the replica stopped"
			}
			w.failed(errors.New(msg))
			w.kill()
		}
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		args[0].Call("preventDefault")
		err := errors.New("the replica worker crashed")
		if m := args[0].Get("message"); m.Type() == js.TypeString && m.String() != "" {
			err = fmt.Errorf("the replica worker crashed: %w", jsutil.JSError(args[0]))
		}
		w.failed(err)
		w.kill()
		return nil
	})
	w.funcs = []js.Func{onMessage, onError}
	w.w.Call("addEventListener", "message", onMessage)
	w.w.Call("addEventListener", "error", onError)
	w.w.Call("addEventListener", "messageerror", onError)
	return w
}

// decodeReplica decodes a message from a replica worker.
func decodeReplica(v js.Value) (protocol.Msg, error) {
	p, _, err := protocol.FromJS(v, true)
	if err != nil {
		return nil, err
	}
	return protocol.Decode(p)
}

// failed records the worker's failure in its run, if it serves one.
func (w *replicaWorker) failed(err error) {
	if g := w.run; g != nil && !g.stopped {
		g.shared.fail(w.index, err)
	}
	w.run = nil
}

// kill terminates the worker; the host drops it at the next resize.
func (w *replicaWorker) kill() {
	if w.dead {
		return
	}
	// A run it still serves (one newer than the failure that killed it, say)
	// must not wait for it at the barrier.
	w.failed(errors.New("its worker was terminated"))
	w.dead = true
	w.w.Call("terminate")
	for i, ev := range []string{"message", "error", "messageerror"} {
		w.w.Call("removeEventListener", ev, w.funcs[min(i, 1)])
	}
	for _, f := range w.funcs {
		f.Release()
	}
}
