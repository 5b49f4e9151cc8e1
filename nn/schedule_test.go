package nn_test

import (
	"math"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

func TestSchedules(t *testing.T) {
	wc := nn.WarmupCosine{Base: 1, Min: 0.1, Warmup: 4, Total: 14}
	noWarm := nn.WarmupCosine{Base: 2, Min: 0, Warmup: 0, Total: 4}
	cases := []struct {
		name  string
		sched nn.Schedule
		step  int
		want  float64
	}{
		{"warmup/first", wc, 0, 0.25},
		{"warmup/negative", wc, -5, 0.25},
		{"warmup/mid", wc, 1, 0.5},
		{"warmup/last", wc, 3, 1},
		{"cosine/start", wc, 4, 1},
		{"cosine/fifth", wc, 6, 0.914057647468726}, // 0.1 + 0.9·(1 + cos 0.2π)/2
		{"cosine/half", wc, 9, 0.55},
		{"cosine/end", wc, 14, 0.1},
		{"after", wc, 100, 0.1},
		{"no warmup/0", noWarm, 0, 2},
		{"no warmup/1", noWarm, 1, 1 + math.Sqrt2/2},
		{"no warmup/2", noWarm, 2, 1},
		{"no warmup/4", noWarm, 4, 0},
		{"warmup past total", nn.WarmupCosine{Base: 1, Min: 0.5, Warmup: 10, Total: 5}, 7, 0.5},
		{"zero total", nn.WarmupCosine{Base: 1, Min: 0.5}, 0, 0.5},
	}
	for _, c := range cases {
		if got := c.sched.LR(c.step); math.Abs(got-c.want) > 1e-14 {
			t.Errorf("%s: LR(%d) = %.15g, want %.15g", c.name, c.step, got, c.want)
		}
	}
}

// TestWarmupCosineShape checks monotonicity: rising through the warm-up,
// falling after it.
func TestWarmupCosineShape(t *testing.T) {
	s := nn.WarmupCosine{Base: 0.1, Min: 0.001, Warmup: 50, Total: 1000}
	prev := 0.0
	for step := range 1100 {
		lr := s.LR(step)
		switch {
		case step < 50 && !(lr > prev):
			t.Fatalf("warm-up not rising at step %d: %g after %g", step, lr, prev)
		case step > 50 && lr > prev:
			t.Fatalf("decay rising at step %d: %g after %g", step, lr, prev)
		case lr < s.Min || lr > s.Base:
			t.Fatalf("LR(%d) = %g outside [Min, Base]", step, lr)
		}
		prev = lr
	}
}
