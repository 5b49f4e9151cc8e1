//go:build js

// Package jsutil holds the small syscall/js helpers that both roles of the
// browser binary (wasm/app) use: the UI on the page (wasm/ui) and the
// trainer in its Web Workers (wasm/worker).
package jsutil

import (
	"errors"
	"syscall/js"
)

// Await blocks the calling goroutine (never a js.FuncOf callback) until the
// promise settles, returning its value or its rejection as an error.
func Await(p js.Value) (js.Value, error) {
	type result struct {
		v   js.Value
		err error
	}
	ch := make(chan result, 1)
	then := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{v: arg(args)}
		return nil
	})
	catch := js.FuncOf(func(_ js.Value, args []js.Value) any {
		ch <- result{err: JSError(arg(args))}
		return nil
	})
	defer then.Release()
	defer catch.Release()
	p.Call("then", then, catch)
	r := <-ch
	return r.v, r.err
}

func arg(args []js.Value) js.Value {
	if len(args) == 0 {
		return js.Undefined()
	}
	return args[0]
}

// JSError turns a thrown JS value into a Go error with its message.
func JSError(v js.Value) error {
	if v.Type() == js.TypeObject && v.Get("message").Type() == js.TypeString {
		return errors.New(v.Get("message").String())
	}
	return errors.New(v.Call("toString").String())
}
