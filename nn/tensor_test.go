package nn

import "testing"

func TestEnsureDoesNotAllocate(t *testing.T) {
	x := NewTensor(2, 3, 4, 5)
	if n := testing.AllocsPerRun(100, func() { x = Ensure(x, 2, 3, 4, 5) }); n != 0 {
		t.Errorf("Ensure allocates %.0f times per call on a big-enough tensor", n)
	}
}
