//go:build !js && !linux && !darwin

package cputime

// Process reports false: this platform has no process CPU clock here.
func Process() (float64, bool) { return 0, false }
