// Package cputime reads the CPU time the process has used, so benchmarks on
// a shared machine can report throughput per CPU second (nn's and
// nn/kernel's). Process reports false where the platform has no such clock.
package cputime
