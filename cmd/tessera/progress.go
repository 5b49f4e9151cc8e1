package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/tessera-ssl/tessera/train"
)

// progressView shows training progress: a bar redrawn in place with an ETA
// when the output is a terminal, a plain line every few seconds otherwise
// (logs, pipes, CI).
type progressView struct {
	w     io.Writer
	tty   bool
	every time.Duration // how often the trainer should report
	shown bool          // a bar is on the current line
}

const plainEvery = 5 * time.Second

func newProgressView(w io.Writer) *progressView {
	v := &progressView{w: w, every: plainEvery}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			v.tty, v.every = true, 250*time.Millisecond
		}
	}
	return v
}

// Report shows one snapshot.
func (v *progressView) Report(p train.Progress) {
	if !v.tty {
		fmt.Fprintln(v.w, p.String())
		return
	}
	const cells = 24
	done := min(cells, int(p.Fraction()*cells))
	bar := strings.Repeat("█", done) + strings.Repeat("░", cells-done)
	eta := "--"
	if p.ETA > 0 || p.Step == p.Steps {
		eta = p.ETA.Round(time.Second).String()
	}
	fmt.Fprintf(v.w, "\r\x1b[K%-8s %s %3.0f%% %d/%d  loss %.4f  acc %5.1f%%  %.0f/s  ETA %s",
		p.Phase, bar, 100*p.Fraction(), p.Step, p.Steps, p.Loss, 100*p.Accuracy, p.SamplesPerSec, eta)
	v.shown = true
}

// Line prints a message on its own line, below any bar.
func (v *progressView) Line(format string, args ...any) {
	v.Done()
	fmt.Fprintf(v.w, format+"\n", args...)
}

// Done ends the bar's line, keeping its last state visible.
func (v *progressView) Done() {
	if v.shown {
		fmt.Fprintln(v.w)
		v.shown = false
	}
}
