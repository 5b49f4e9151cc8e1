package main

import (
	"fmt"
	"slices"
	"time"

	"gonum.org/v1/gonum/stat"
)

// spread is the median and range of a set of measurements.
type spread struct{ Median, Min, Max float64 }

// summarize returns the median (the lower of the two middle values for an
// even count: gonum's empirical 0.5-quantile, stat.Empirical), minimum and
// maximum of xs. It panics on an empty slice.
func summarize(xs []float64) spread {
	if len(xs) == 0 {
		panic("summarize: no measurements")
	}
	s := slices.Sorted(slices.Values(xs))
	return spread{Median: stat.Quantile(0.5, stat.Empirical, s, nil), Min: s[0], Max: s[len(s)-1]}
}

func durations(ds []time.Duration) []float64 {
	xs := make([]float64, len(ds))
	for i, d := range ds {
		xs[i] = float64(d) / float64(time.Millisecond)
	}
	return xs
}

// msString formats a spread of milliseconds.
func (s spread) msString() string {
	return fmt.Sprintf("%6.0f ms  (%.0f–%.0f)", s.Median, s.Min, s.Max)
}

// mbString formats a spread of bytes in MB (10^6 bytes).
func (s spread) mbString() string {
	return fmt.Sprintf("%6.3f MB  (%.3f–%.3f)", s.Median/1e6, s.Min/1e6, s.Max/1e6)
}
