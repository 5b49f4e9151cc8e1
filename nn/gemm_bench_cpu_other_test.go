//go:build !js && !linux && !darwin

package nn

func gemmProcessCPUSeconds() (float64, bool) { return 0, false }
