//go:build js

package cputime

import "syscall/js"

// Process returns the user+system CPU time of the node process in seconds,
// so benchmarks on a loaded machine can report throughput per CPU second.
func Process() (float64, bool) {
	u := js.Global().Get("process").Call("cpuUsage")
	return (u.Get("user").Float() + u.Get("system").Float()) / 1e6, true
}
