package trainer

import (
	"testing"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

func TestSamplesFor(t *testing.T) {
	tests := []struct {
		minutes, rate  float64
		workers, batch int
		want           int
	}{
		{1, 100, 1, 64, 5952},        // 6000 samples, whole batches
		{1, 100, 2, 64, 11072},       // 1.85 × one worker
		{0.001, 100, 1, 64, 64},      // at least one batch
		{10, 1000, 3, 50, 1_620_000}, // 2.7 × one worker
	}
	for _, tt := range tests {
		if got := samplesFor(tt.minutes, tt.rate, tt.workers, tt.batch); got != tt.want {
			t.Errorf("samplesFor(%g min, %g/s, %d workers, batch %d) = %d, want %d", tt.minutes, tt.rate, tt.workers, tt.batch, got, tt.want)
		}
	}
}

// A budget in minutes becomes a whole number of steps that the run takes,
// and a semi-supervised downstream run trains and reports its mode.
func TestMinutesBudgetAndSemiMode(t *testing.T) {
	h := start(t, &memStore{})
	h.send(&protocol.Hello{})
	h.await("Ready", kind(protocol.KindReady))
	h.send(&protocol.LoadDemo{})
	h.await("DataLoaded", kind(protocol.KindDataLoaded))
	h.send(&protocol.StartPretrain{Task: "rotation", Minutes: 0.02, Batch: 16, LR: 0.05, Seed: 1})
	p := h.await("pretrain done", func(m protocol.Msg) bool {
		p, ok := m.(*protocol.Progress)
		return ok && p.State == protocol.StateDone
	}).(*protocol.Progress)
	if p.Steps < 1 || p.Step != p.Steps {
		t.Errorf("final progress %+v: want every step of the budget taken", p)
	}
	t.Logf("0.02 minutes → %d steps of 16 samples", p.Steps)
	h.send(&protocol.StartFinetune{Mode: protocol.ModeSemi, Epochs: 2, Batch: 8, LR: 0.05, TestPercent: 20, Seed: 1})
	res := h.await("Results", kind(protocol.KindResults)).(*protocol.Results)
	if res.Mode != protocol.ModeSemi || res.AccPretrained < 0 || res.AccPretrained > 1 {
		t.Errorf("results: mode %q, accuracy %v", res.Mode, res.AccPretrained)
	}
	h.stop()
}
