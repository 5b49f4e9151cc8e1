package nn_test

import (
	"math"
	"slices"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

func TestCloneIsIndependentCopy(t *testing.T) {
	m := smallModel(1, 3)
	c := m.Clone()
	mt, ct := m.Tensors(), c.Tensors()
	if len(mt) != len(ct) {
		t.Fatalf("clone has %d tensors, model %d", len(ct), len(mt))
	}
	for i := range mt {
		if mt[i].Name != ct[i].Name || !slices.Equal(mt[i].Data, ct[i].Data) {
			t.Fatalf("clone differs at %s", mt[i].Name)
		}
	}
	mt[0].Data[0] += 1
	if ct[0].Data[0] == mt[0].Data[0] {
		t.Fatal("clone shares storage with the model")
	}
}

// After updates with live weights w_1, w_2, … the average follows
// θ̄_t = d_t θ̄_{t−1} + (1 − d_t) w_t with d_t = min(Decay, (1+t)/(10+t)).
func TestEMAFollowsItsRecurrence(t *testing.T) {
	tests := []struct {
		decay float64
		steps int
	}{{0.999, 5}, {0.5, 8}, {0, 3}}
	for _, tt := range tests {
		m := smallModel(2, 3)
		e := nn.NewEMA(m, tt.decay)
		p := m.Tensors()[0].Data
		want := float64(p[0])
		for s := range tt.steps {
			p[0] = float32(s + 1) // the live weight after optimizer step s+1
			d := math.Min(tt.decay, float64(1+s)/float64(10+s))
			want = d*want + (1-d)*float64(p[0])
			e.Update()
		}
		if got := float64(e.Model.Tensors()[0].Data[0]); math.Abs(got-want) > 1e-5*math.Max(1, math.Abs(want)) {
			t.Errorf("decay %g after %d updates: average %v, want %v", tt.decay, tt.steps, got, want)
		}
		e.Reset()
		if e.Model.Tensors()[0].Data[0] != p[0] {
			t.Errorf("decay %g: Reset did not copy the live weights", tt.decay)
		}
	}
}

func TestEMAPanicsOnBadDecay(t *testing.T) {
	for _, d := range []float64{-0.1, 1, math.NaN()} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewEMA(decay %g) did not panic", d)
				}
			}()
			nn.NewEMA(smallModel(1, 2), d)
		}()
	}
}
