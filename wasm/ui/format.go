package ui

import (
	"fmt"
	"math"
	"time"
)

// Numbers shown under data-testid hooks are plain: no units inside the element.

func fmtLoss(v float64) string { return fmt.Sprintf("%.4f", v) }

// fmtPct formats a fraction in [0, 1] as a percentage number ("42.5").
func fmtPct(f float64) string { return fmt.Sprintf("%.1f", 100*f) }

func fmtRate(v float64) string { return fmt.Sprintf("%.0f", v) }

// fmtETA formats a remaining time in seconds ("1 min 05 s", "12 s").
func fmtETA(sec float64) string {
	if sec <= 0 || math.IsInf(sec, 0) || math.IsNaN(sec) {
		return "—"
	}
	d := time.Duration(sec * float64(time.Second)).Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(d.Seconds()))
	}
	if d < time.Hour {
		return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%d h %02d min", int(d.Hours()), int(d.Minutes())%60)
}

func fmtBytes(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f kB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
