//go:build js

package worker

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"syscall/js"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/wasm/trainer"
)

// replicaMain is the program of a replica worker (self.name "replica"): it
// takes runs from the leader one at a time (see replicas.go) and trains its
// shard of each with trainer.RunReplica; it generates its own pretext
// samples from the shared pool.
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
	for d := range jobs {
		if d.Get("kind").String() == "ReplicaJob" {
			r.run(d)
		}
	}
}

// replica keeps the pool between runs while the leader's pool stays the same.
type replica struct {
	poolID int
	pool   []*pretext.Image
}

func (r *replica) run(d js.Value) {
	id, index := d.Get("run").Int(), d.Get("index").Int()
	shared := openSharedRun(d.Get("shared"), d.Get("workers").Int(), d.Get("slotSize").Int())
	exit := false
	err := func() (err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		job := trainer.ReplicaJob{Index: index, Workers: shared.workers,
			FailAtStep: d.Get("failAt").Int(), FailMode: d.Get("failMode").String()}
		exit = job.FailMode == "exit"
		if err := json.Unmarshal([]byte(d.Get("config").String()), &job.Config); err != nil {
			return fmt.Errorf("replica: decode the config: %w", err)
		}
		if ds := d.Get("downstream"); ds.Type() == js.TypeString {
			job.Downstream = new(trainer.DownstreamJob)
			if err := json.Unmarshal([]byte(ds.String()), job.Downstream); err != nil {
				return fmt.Errorf("replica: decode the downstream job: %w", err)
			}
		}
		r.loadPool(d)
		ex := &sharedExchanger{run: shared, index: index}
		return trainer.RunReplica(job, r.pool, ex)
	}()
	if exit && errors.Is(err, trainer.ErrFailHook) {
		os.Exit(3) // the test hook's crash: web/worker.js tells the leader
	}
	msg := js.Global().Get("Object").New()
	msg.Set("kind", "ReplicaIdle")
	msg.Set("run", id)
	if err != nil {
		shared.fail(index, err)
		msg.Set("kind", "ReplicaFailed")
		msg.Set("message", err.Error())
	}
	self.Call("postMessage", msg)
}

// loadPool copies the pool's pixels out of shared memory, once per pool.
func (r *replica) loadPool(d js.Value) {
	id := d.Get("poolID").Int()
	if id == r.poolID && r.pool != nil {
		return
	}
	n, size := d.Get("images").Int(), d.Get("size").Int()
	per := 3 * size * size
	pix := make([]byte, n*per)
	js.CopyBytesToGo(pix, js.Global().Get("Uint8Array").New(d.Get("pool")))
	r.pool = make([]*pretext.Image, n)
	for i := range r.pool {
		r.pool[i] = &pretext.Image{Width: size, Height: size, Pix: pix[i*per : (i+1)*per : (i+1)*per]}
	}
	r.poolID = id
}
