//go:build js

// Package worker is Tessera's trainer as it runs inside a Web Worker: the
// page's binary (./wasm/app, served as web/app.wasm) calls Main when
// web/worker.js starts it in a worker. It decodes images, trains, and
// answers the UI with protocol messages; all logic is in package trainer.
//
// The worker the page starts is the leader. For data-parallel training
// it starts replica workers itself (nested workers running the same binary,
// named "replica"; replicas.go), which train a shard of every batch and
// share gradients with it through shared memory (exchange.go).
package worker

import (
	"context"
	"fmt"
	"runtime/debug"
	"syscall/js"

	"github.com/tessera-ssl/tessera/wasm/jsutil"
	"github.com/tessera-ssl/tessera/wasm/protocol"
	"github.com/tessera-ssl/tessera/wasm/trainer"
)

var self = js.Global()

// Main runs the trainer in the calling Web Worker; it never returns while
// the worker is healthy (the leader serves messages, a replica takes jobs).
// Its role comes from self.name: "replica" or, for any other name, leader.
func Main() {
	if self.Get("name").String() == "replica" {
		replicaMain()
		return
	}
	env := &env{}
	raw := make(chan js.Value, 4096)
	inbox := make(chan protocol.Msg, 64)
	// The message handler only queues: it never blocks and never decodes.
	handler := js.FuncOf(func(_ js.Value, args []js.Value) any {
		switch args[0].Get("kind").String() {
		case protocol.KindStop, protocol.KindReset, protocol.KindClearData:
			// The session may be waiting in a data-parallel exchange for
			// a replica that is still starting (or hangs); abort the run's
			// exchanges so that it reaches this message now.
			host.abortRuns()
		}
		select {
		case raw <- args[0]:
		default:
			env.Post(&protocol.Error{Message: "trainer: too many pending messages; one was dropped"})
		}
		return nil
	})
	go preprocess(env, raw, inbox)
	// worker.js buffered the messages that came before Go was ready.
	self.Call("tesseraAttach", handler)
	trainer.New(env, trainer.DefaultTiming()).Run(context.Background(), inbox)
}

// preprocess turns raw packets into messages in arrival order, decoding the
// image files of AddImages and Classify on the way (they arrive as Blobs).
func preprocess(env *env, raw <-chan js.Value, inbox chan<- protocol.Msg) {
	for v := range raw {
		func() {
			defer func() {
				if r := recover(); r != nil {
					env.Post(&protocol.Error{Message: fmt.Sprintf("trainer: internal error: %v\n%s", r, debug.Stack())})
				}
			}()
			m, err := toMsg(v)
			if err != nil {
				env.Post(&protocol.Error{Message: err.Error()})
				return
			}
			inbox <- m
		}()
	}
}

// toMsg decodes a packet; the files of AddImages and Classify are Blobs
// (protocol.ObjectWith), read here rather than copied.
func toMsg(v js.Value) (protocol.Msg, error) {
	kind := v.Get("kind").String()
	withFiles := kind == protocol.KindAddImages || kind == protocol.KindClassify
	p, bufs, err := protocol.FromJS(v, !withFiles)
	if err != nil {
		return nil, err
	}
	m, err := protocol.Decode(p)
	if err != nil {
		return nil, err
	}
	switch m := m.(type) {
	case *protocol.AddImages:
		out := &trainer.ImagesDecoded{Split: m.Split, Root: m.Root, Images: make([]trainer.Decoded, len(m.Files))}
		for i, f := range m.Files {
			img, err := decodeImage(bufs[i], trainer.ImageSize)
			out.Images[i] = trainer.Decoded{Name: f.Name, Class: f.Class, Image: img, Err: err}
		}
		return out, nil
	case *protocol.Classify:
		img, err := decodeImage(bufs[0], trainer.ImageSize)
		return &trainer.ImageDecoded{Decoded: trainer.Decoded{Name: m.File.Name, Image: img, Err: err}}, nil
	}
	return m, nil
}

// env is the worker's side of trainer.Env.
type env struct{}

func (env) Post(m protocol.Msg) { post(self, m) }

// post sends m through the codec to a worker (or from a worker, to self:
// its parent), transferring its buffers.
func post(to js.Value, m protocol.Msg) {
	p, err := protocol.Encode(m)
	if err != nil {
		p, _ = protocol.Encode(&protocol.Error{Message: err.Error()})
	}
	obj, transfer := protocol.ToJS(p)
	to.Call("postMessage", obj, transfer)
}

// Await is shared with the store and the demo loader.
var await = jsutil.Await
