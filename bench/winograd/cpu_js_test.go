//go:build js

package winograd

import "syscall/js"

// cpuSeconds is the node process's user+system CPU time.
func cpuSeconds() (float64, bool) {
	u := js.Global().Get("process").Call("cpuUsage")
	return (u.Get("user").Float() + u.Get("system").Float()) / 1e6, true
}
