package nn

import (
	"errors"
	"fmt"
	"slices"
	"strings"
)

// Optimizer updates parameters from their gradients.
//
// The learning rate is the LR field of each implementation (SGD{LR: 0.1});
// SetLR and LearningRate reach it through the interface, for schedules.
// (Go forbids a method LR beside the field LR, hence the longer getter name.)
//
// An optimizer owns per-parameter state (momentum, moment estimates) in
// slices aligned with the parameter list: it binds to the params of its
// first Step (or LoadState), and every later Step must pass the same params
// in the same order; it panics otherwise. Step reads Grad and updates Value;
// it does not zero Grad.
//
// State exports that state as named buffers, "optim.<i>.<kind>" for the i-th
// parameter (kinds "momentum", "exp_avg", "exp_avg_sq") plus "optim.step"
// where the optimizer counts steps, for a checkpoint; the buffers alias the
// optimizer's memory and are valid until the next Step. LoadState binds the
// optimizer to params and copies such buffers in, checking names and shapes.
type Optimizer interface {
	Step(params []*Param)
	SetLR(lr float64)
	LearningRate() float64
	State() []Buffer
	LoadState(params []*Param, state []Buffer) error
}

// paramSlots holds one state slice per kind per parameter, for the
// parameters an optimizer is bound to.
type paramSlots struct {
	params []*Param
	kinds  []string      // "momentum", or "exp_avg" and "exp_avg_sq"
	slots  [][][]float32 // slots[kind][param], each len(param.Value)
}

// bind allocates zeroed state on the first call and checks that later calls
// pass the same params.
func (s *paramSlots) bind(who string, params []*Param) {
	if s.params == nil {
		s.params = slices.Clone(params)
		s.slots = make([][][]float32, len(s.kinds))
		for k := range s.kinds {
			s.slots[k] = make([][]float32, len(params))
			for i, p := range params {
				s.slots[k][i] = make([]float32, len(p.Value))
			}
		}
		return
	}
	if len(params) != len(s.params) {
		panic(fmt.Sprintf("nn: %s: %d params, but the optimizer is bound to %d", who, len(params), len(s.params)))
	}
	for i, p := range params {
		if p != s.params[i] {
			panic(fmt.Sprintf("nn: %s: param %d (%s) is not the one the optimizer is bound to", who, i, p.Name))
		}
	}
}

// buffers exports the slots as "optim.<i>.<kind>" buffers.
func (s *paramSlots) buffers() []Buffer {
	var out []Buffer
	for i, p := range s.params {
		for k, kind := range s.kinds {
			out = append(out, Buffer{Name: fmt.Sprintf("optim.%d.%s", i, kind), Shape: slices.Clone(p.Shape), Value: s.slots[k][i]})
		}
	}
	return out
}

// load binds to params and copies the matching buffers of state in; extra
// lists further names the caller accepts (such as "optim.step"). It fails,
// changing nothing, unless state holds exactly the expected buffers, or, when
// fresh is set, none but the extra ones (zero state is then bound).
func (s *paramSlots) load(who string, params []*Param, state []Buffer, fresh bool, extra ...string) error {
	byName := make(map[string]Buffer, len(state))
	for _, b := range state {
		if _, dup := byName[b.Name]; dup {
			return fmt.Errorf("%s: load state: duplicate buffer %s", who, b.Name)
		}
		byName[b.Name] = b
	}
	want := map[string]bool{}
	for _, name := range extra {
		want[name] = true
	}
	if fresh {
		for name := range byName {
			fresh = fresh && want[name]
		}
	}
	if fresh { // the state of an optimizer that never stepped
		s.params = nil
		s.bind(who, params)
		return nil
	}
	var problems []string
	for i, p := range params {
		for _, kind := range s.kinds {
			name := fmt.Sprintf("optim.%d.%s", i, kind)
			want[name] = true
			b, ok := byName[name]
			switch {
			case !ok:
				problems = append(problems, fmt.Sprintf("no %s for %s %v", name, p.Name, p.Shape))
			case !sameShape(b.Shape, p.Shape) || len(b.Value) != len(p.Value):
				problems = append(problems, fmt.Sprintf("%s has shape %v, param %d (%s) has %v", name, b.Shape, i, p.Name, p.Shape))
			}
		}
	}
	var unexpected []string
	for name := range byName {
		if !want[name] {
			unexpected = append(unexpected, name)
		}
	}
	if len(unexpected) > 0 {
		slices.Sort(unexpected)
		problems = append(problems, "unexpected buffers "+strings.Join(unexpected, ", "))
	}
	if len(problems) > 0 {
		return errors.New(who + ": load state: " + strings.Join(problems, "; "))
	}
	s.params = nil
	s.bind(who, params)
	for i := range params {
		for k, kind := range s.kinds {
			copy(s.slots[k][i], byName[fmt.Sprintf("optim.%d.%s", i, kind)].Value)
		}
	}
	return nil
}
