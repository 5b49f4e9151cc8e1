package train

import (
	"errors"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// within runs f in a goroutine and fails the test if it has not returned
// after a minute (a hang).
func within(t *testing.T, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatal("still waiting after a minute: a hang")
	}
}

// TestLocalGroupSumsInIndexOrder: every member gets the sum added in index
// order, bit for bit, even where the order changes the float result.
func TestLocalGroupSumsInIndexOrder(t *testing.T) {
	// 1e16 + 1 + 1 − 1e16 is 0 left to right in float64 (1e16 + 1 rounds
	// back to 1e16) but 2 in other orders.
	in := [][]float64{{1e16, 1, 0.5}, {1, 2, 0.25}, {1, 3, 0.125}, {-1e16, 4, 1}}
	want := make([]float64, 3)
	for j := range want {
		for _, v := range in {
			want[j] += v[j]
		}
	}
	if want[0] != 0 {
		t.Fatalf("test premise: index-order sum %v, want 0", want[0])
	}
	in32 := [][]float32{{1e8, 1.5}, {1, -2}, {-1e8, 0.25}, {0.5, 1}}
	g := NewLocalGroup(len(in))
	got := make([][]float64, len(in))
	got32 := make([][]float32, len(in))
	errs := make([]error, 2*len(in))
	within(t, func() {
		var wg sync.WaitGroup
		for i := range in {
			wg.Go(func() {
				for range 3 { // several rounds, also to check the group resets
					got[i] = slices.Clone(in[i])
					if errs[2*i] = g.Member(i).Sum(got[i]); errs[2*i] != nil {
						return
					}
					got32[i] = slices.Clone(in32[i])
					errs[2*i+1] = g.Member(i).Sum32(got32[i])
				}
			})
		}
		wg.Wait()
	})
	// float32 totals are accumulated in float64 and rounded once.
	want32 := []float32{float32(1e8 + 1 - 1e8 + 0.5), float32(1.5 - 2 + 0.25 + 1)}
	for i := range in {
		if errs[2*i] != nil || errs[2*i+1] != nil {
			t.Fatalf("member %d: %v, %v", i, errs[2*i], errs[2*i+1])
		}
		if !slices.Equal(got[i], want) {
			t.Errorf("member %d: Sum gave %v, want %v", i, got[i], want)
		}
		if !slices.Equal(got32[i], want32) {
			t.Errorf("member %d: Sum32 gave %v, want %v", i, got32[i], want32)
		}
	}
}

// TestLocalGroupBreak: Break wakes the members waiting in a Sum with the
// error, and every later call fails with it too.
func TestLocalGroupBreak(t *testing.T) {
	for _, tc := range []struct {
		name    string
		err     error
		waiting int // members already in Sum when Break comes
	}{
		{"cause", errors.New("worker 3 crashed"), 2},
		{"nobody waiting", errors.New("worker 3 crashed"), 0},
		{"stopped", nil, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.err
			if want == nil {
				want = ErrStopped
			}
			g := NewLocalGroup(3)
			errs := make(chan error, tc.waiting)
			for i := range tc.waiting {
				go func() { errs <- g.Member(i).Sum(make([]float64, 4)) }()
			}
			// Wait until they are all inside Sum.
			for deadline := time.Now().Add(time.Minute); ; {
				g.mu.Lock()
				n := g.arrived
				g.mu.Unlock()
				if n == tc.waiting {
					break
				}
				if time.Now().After(deadline) {
					t.Fatal("members never reached Sum")
				}
				runtime.Gosched()
			}
			g.Break(tc.err)
			g.Break(errors.New("a later break")) // only the first counts
			within(t, func() {
				for range tc.waiting {
					if err := <-errs; err != want {
						t.Errorf("waiting member got %v, want %v", err, want)
					}
				}
			})
			if err := g.Member(2).Sum32(make([]float32, 4)); err != want {
				t.Errorf("later Sum32 got %v, want %v", err, want)
			}
		})
	}
}

// TestLocalGroupMismatchBreaks: members that disagree on a round's length
// or kind break the group (instead of hanging or panicking alone).
func TestLocalGroupMismatchBreaks(t *testing.T) {
	for _, tc := range []struct {
		name string
		sum  func(e Exchanger) error
	}{
		{"length", func(e Exchanger) error { return e.Sum(make([]float64, 5)) }},
		{"kind", func(e Exchanger) error { return e.Sum32(make([]float32, 4)) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g := NewLocalGroup(2)
			first := make(chan error, 1)
			go func() { first <- g.Member(0).Sum(make([]float64, 4)) }()
			for {
				g.mu.Lock()
				n := g.arrived
				g.mu.Unlock()
				if n == 1 {
					break
				}
				runtime.Gosched()
			}
			err := tc.sum(g.Member(1))
			if err == nil || !strings.Contains(err.Error(), "member 1") {
				t.Errorf("mismatched Sum: %v", err)
			}
			within(t, func() {
				if e := <-first; e != err {
					t.Errorf("the waiting member got %v, want %v", e, err)
				}
			})
		})
	}
}

func TestLocalGroupOfOne(t *testing.T) {
	g := NewLocalGroup(1)
	v := []float64{1, math.Pi}
	if err := g.Member(0).Sum(v); err != nil || v[0] != 1 || v[1] != math.Pi {
		t.Errorf("Sum over one member: %v, %v", v, err)
	}
	for _, bad := range []func(){
		func() { NewLocalGroup(0) },
		func() { g.Member(1) },
		func() { g.Member(-1) },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Error("no panic on a bad group size or member index")
				}
			}()
			bad()
		}()
	}
}
