//go:build js

package main

import (
	"syscall/js"

	"github.com/tessera-ssl/tessera/wasm/worker"
)

// inWorker reports whether the program runs in a Web Worker: the global
// object is a WorkerGlobalScope (a constructor that a window does not have).
func inWorker() bool {
	scope := js.Global().Get("WorkerGlobalScope")
	return scope.Type() == js.TypeFunction && js.Global().InstanceOf(scope)
}

// runTrainer runs the trainer worker's program; it returns only if the
// trainer stops (web/worker.js then reports it).
func runTrainer() { worker.Main() }
