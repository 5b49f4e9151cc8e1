//go:build linux || darwin

package cputime

import "syscall"

// Process returns the user+system CPU time of this process in seconds, so
// benchmarks on a loaded machine can report throughput per CPU second.
func Process() (float64, bool) {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0, false
	}
	sec := func(t syscall.Timeval) float64 { return float64(t.Sec) + float64(t.Usec)/1e6 }
	return sec(ru.Utime) + sec(ru.Stime), true
}
