//go:build js

package main

import (
	"syscall/js"
	"testing"
)

// Under node the global object is no WorkerGlobalScope; each case defines
// one (or a look-alike) for the duration of the check.
func TestInWorker(t *testing.T) {
	global := js.Global()
	protoOfGlobal := global.Get("Object").Call("getPrototypeOf", global)
	newFunc := func(proto js.Value) js.Value {
		f := global.Get("Function").New("")
		if !proto.IsUndefined() {
			f.Set("prototype", proto)
		}
		return f
	}
	for _, tc := range []struct {
		name  string
		scope func() js.Value // WorkerGlobalScope's value; undefined: absent
		want  bool
	}{
		{"a window (no WorkerGlobalScope)", js.Undefined, false},
		{"a constructor the global object is not an instance of", func() js.Value { return newFunc(js.Undefined()) }, false},
		{"a WorkerGlobalScope that is not a constructor", func() js.Value { return global.Get("Object").New() }, false},
		{"a worker's global object", func() js.Value { return newFunc(protoOfGlobal) }, true},
	} {
		if v := tc.scope(); v.IsUndefined() {
			global.Delete("WorkerGlobalScope")
		} else {
			global.Set("WorkerGlobalScope", v)
		}
		if got := inWorker(); got != tc.want {
			t.Errorf("%s: inWorker() = %v, want %v", tc.name, got, tc.want)
		}
	}
	global.Delete("WorkerGlobalScope")
}
