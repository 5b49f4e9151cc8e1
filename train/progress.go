package train

import (
	"fmt"
	"time"
)

// Progress is a snapshot of a training run, reported as it goes.
type Progress struct {
	Phase         string        `json:"phase"`    // "pretrain", "finetune", "linear", "scratch"
	Step          int           `json:"step"`     // optimizer steps taken
	Steps         int           `json:"steps"`    // steps in the budget
	Samples       int           `json:"samples"`  // training samples seen
	Loss          float64       `json:"loss"`     // mean loss over the recent window
	Accuracy      float64       `json:"accuracy"` // fraction of targets right over the recent window
	SamplesPerSec float64       `json:"samplesPerSec"`
	Elapsed       time.Duration `json:"elapsed"`
	ETA           time.Duration `json:"eta"`
	// Semi-supervised runs: the recent fraction of unlabeled images that
	// got a pseudo-label, and of those the fraction right (when the pool's
	// labels are known, see Finetuner.WatchPseudoLabels).
	PseudoLabeled  float64 `json:"pseudoLabeled,omitempty"`
	PseudoAccuracy float64 `json:"pseudoAccuracy,omitempty"`
}

// Fraction is how much of the budget is done, in [0, 1].
func (p Progress) Fraction() float64 {
	if p.Steps == 0 {
		return 0
	}
	return float64(p.Step) / float64(p.Steps)
}

func (p Progress) String() string {
	return fmt.Sprintf("%s step %d/%d loss %.4f acc %.1f%% %.0f samples/s ETA %s",
		p.Phase, p.Step, p.Steps, p.Loss, 100*p.Accuracy, p.SamplesPerSec, p.ETA.Round(time.Second))
}

// Reporter receives progress snapshots.
type Reporter func(Progress)

// meter keeps windowed loss/accuracy means and throughput for a run.
// Throughput counts only time spent inside steps, so pauses do not lower it.
type meter struct {
	window       int
	losses, accs []float64
	next         int
	samples      int // seen since this meter started
	offset       int // seen before it started (a resumed run)
	busy         time.Duration
}

func newMeter(window int) *meter { return &meter{window: window} }

// add records one step's mean loss, accuracy, sample count and duration.
func (m *meter) add(loss, acc float64, samples int, d time.Duration) {
	if len(m.losses) < m.window {
		m.losses = append(m.losses, loss)
		m.accs = append(m.accs, acc)
	} else {
		m.losses[m.next], m.accs[m.next] = loss, acc
		m.next = (m.next + 1) % m.window
	}
	m.samples += samples
	m.busy += d
}

func (m *meter) snapshot(phase string, step, steps, samplesPerStep int) Progress {
	p := Progress{Phase: phase, Step: step, Steps: steps, Samples: m.offset + m.samples, Elapsed: m.busy}
	for i := range m.losses {
		p.Loss += m.losses[i] / float64(len(m.losses))
		p.Accuracy += m.accs[i] / float64(len(m.accs))
	}
	if m.busy > 0 {
		p.SamplesPerSec = float64(m.samples) / m.busy.Seconds()
	}
	if p.SamplesPerSec > 0 && steps > step {
		p.ETA = time.Duration(float64((steps-step)*samplesPerStep) / p.SamplesPerSec * float64(time.Second))
	}
	return p
}
