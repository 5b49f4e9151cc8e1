//go:build js

package worker

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"syscall/js"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/wasm/protocol"
	"github.com/tessera-ssl/tessera/wasm/trainer"
)

// replicaMain is the program of a replica worker (self.name "replica"): it
// takes runs from the leader one at a time (protocol.ReplicaJob, see
// replicas.go) and trains its shard of each with trainer.RunReplica; it
// generates its own pretext samples from the shared pool.
func replicaMain() {
	jobs := make(chan js.Value, 64)
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		select {
		case jobs <- args[0]:
		default: // cannot happen: the leader sends one job per run
		}
		return nil
	})
	self.Call("tesseraAttach", handler)
	var r replica
	for v := range jobs {
		// The two buffers are SharedArrayBuffers: shared, not copied.
		p, shared, err := protocol.FromJS(v, false)
		if err != nil {
			continue // not from the leader
		}
		m, err := protocol.Decode(p)
		if job, ok := m.(*protocol.ReplicaJob); ok && err == nil {
			r.run(job, shared[0], shared[1])
		}
	}
}

// replica keeps the pool between runs while the leader's pool stays the same.
type replica struct {
	poolID int
	pool   []*pretext.Image
}

// run trains the replica's part of a run; memory and pool are the job's
// SharedArrayBuffers.
func (r *replica) run(m *protocol.ReplicaJob, memory, pool js.Value) {
	shared := openSharedRun(memory, m.Workers, m.SlotSize)
	exit := false
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		var job trainer.ReplicaJob
		if err := json.Unmarshal(m.Job, &job); err != nil {
			return fmt.Errorf("replica: decode the job: %w", err)
		}
		job.Index, job.Workers = m.Index, m.Workers
		exit = job.Fail.Mode == protocol.FailExit
		r.loadPool(m, pool)
		ex := &sharedExchanger{run: shared, index: m.Index}
		return trainer.RunReplica(job, r.pool, ex)
	}()
	if exit && errors.Is(err, trainer.ErrFailHook) {
		os.Exit(3) // the test hook's crash: web/worker.js tells the leader
	}
	if err != nil {
		shared.fail(m.Index, err)
		post(self, &protocol.ReplicaFailed{Run: m.Run, Message: err.Error()})
		return
	}
	post(self, &protocol.ReplicaIdle{Run: m.Run})
}

// loadPool copies the pool's pixels out of shared memory, once per pool.
func (r *replica) loadPool(m *protocol.ReplicaJob, pool js.Value) {
	if m.PoolID == r.poolID && r.pool != nil {
		return
	}
	per := 3 * m.Size * m.Size
	pix := make([]byte, m.Images*per)
	js.CopyBytesToGo(pix, js.Global().Get("Uint8Array").New(pool))
	r.pool = make([]*pretext.Image, m.Images)
	for i := range r.pool {
		r.pool[i] = &pretext.Image{Width: m.Size, Height: m.Size, Pix: pix[i*per : (i+1)*per : (i+1)*per]}
	}
	r.poolID = m.PoolID
}
