//go:build !js

package main

// Outside the browser (go vet, go-app's server-side build) there is no
// worker: the program is always the UI, whose RunWhenOnBrowser does nothing.
func inWorker() bool { return false }

func runTrainer() { panic("app: the trainer runs only in a browser's Web Worker") }
