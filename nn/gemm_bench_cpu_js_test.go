//go:build js

package nn

import "syscall/js"

// gemmProcessCPUSeconds returns the user+system CPU time of the node process,
// so benchmarks on a loaded machine can report throughput per CPU second.
func gemmProcessCPUSeconds() (float64, bool) {
	u := js.Global().Get("process").Call("cpuUsage")
	return (u.Get("user").Float() + u.Get("system").Float()) / 1e6, true
}
