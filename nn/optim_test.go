package nn_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/nn"
)

func param(name string, noDecay bool, values ...float32) *nn.Param {
	p := nn.NewParam(name, len(values))
	copy(p.Value, values)
	p.NoDecay = noDecay
	return p
}

// scalarRef is a reference optimizer for one scalar parameter.
type scalarRef interface {
	step(theta, g float64) float64
}

// sgdRef is torch.optim.SGD's update for one scalar, in float64.
type sgdRef struct {
	lr, mu, wd, v float64
	nesterov      bool
}

func (r *sgdRef) step(theta, g float64) float64 {
	g += r.wd * theta
	if r.mu != 0 {
		r.v = r.mu*r.v + g
		if r.nesterov {
			g += r.mu * r.v
		} else {
			g = r.v
		}
	}
	return theta - r.lr*g
}

// adamRef is torch.optim.Adam / AdamW's update for one scalar, in float64.
type adamRef struct {
	lr, b1, b2, eps, wd float64
	decoupled           bool
	m, v                float64
	t                   int
}

func (r *adamRef) step(theta, g float64) float64 {
	r.t++
	if r.decoupled {
		theta *= 1 - r.lr*r.wd
	} else {
		g += r.wd * theta
	}
	r.m = r.b1*r.m + (1-r.b1)*g
	r.v = r.b2*r.v + (1-r.b2)*g*g
	mhat := r.m / (1 - math.Pow(r.b1, float64(r.t)))
	vhat := r.v / (1 - math.Pow(r.b2, float64(r.t)))
	return theta - r.lr*mhat/(math.Sqrt(vhat)+r.eps)
}

// TestOptimizerStepsByHand runs three steps with changing gradients and
// compares every value with the formulas, for decayed and NoDecay params.
func TestOptimizerStepsByHand(t *testing.T) {
	grads := [][]float32{{0.5, -0.25, 2}, {-1, 0.75, 0.5}, {0.125, 0.5, -3}}
	start := []float32{1, -2, 0.5}
	cases := []struct {
		name string
		opt  nn.Optimizer
		ref  func(wd float64) scalarRef // weight decay 0 for the NoDecay param
	}{
		{"SGD", &nn.SGD{LR: 0.1}, func(float64) scalarRef { return &sgdRef{lr: 0.1} }},
		{"SGD/momentum+decay", &nn.SGD{LR: 0.1, Momentum: 0.9, WeightDecay: 0.05},
			func(wd float64) scalarRef { return &sgdRef{lr: 0.1, mu: 0.9, wd: wd * 0.05} }},
		{"SGD/nesterov", &nn.SGD{LR: 0.05, Momentum: 0.8, WeightDecay: 0.1, Nesterov: true},
			func(wd float64) scalarRef { return &sgdRef{lr: 0.05, mu: 0.8, wd: wd * 0.1, nesterov: true} }},
		{"Adam", nn.NewAdam(0.01), func(float64) scalarRef { return &adamRef{lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8} }},
		{"Adam/L2", &nn.Adam{LR: 0.01, Beta1: 0.8, Beta2: 0.99, Eps: 1e-3, WeightDecay: 0.5},
			func(wd float64) scalarRef { return &adamRef{lr: 0.01, b1: 0.8, b2: 0.99, eps: 1e-3, wd: wd * 0.5} }},
		{"AdamW", &nn.Adam{LR: 0.01, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.5, Decoupled: true},
			func(wd float64) scalarRef {
				return &adamRef{lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8, wd: wd * 0.5, decoupled: true}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w := param("weight", false, start...)
			b := param("bias", true, start...)
			params := []*nn.Param{w, b}
			refs := map[*nn.Param][]scalarRef{}
			want := map[*nn.Param][]float64{}
			for _, p := range params {
				for i := range start {
					wd := 1.0 // multiplies the case's weight decay
					if p.NoDecay {
						wd = 0
					}
					refs[p] = append(refs[p], c.ref(wd))
					want[p] = append(want[p], float64(start[i]))
				}
			}
			for s, g := range grads {
				for _, p := range params {
					copy(p.Grad, g)
					for i := range want[p] {
						want[p][i] = refs[p][i].step(want[p][i], float64(g[i]))
					}
				}
				c.opt.Step(params)
				for _, p := range params {
					for i, v := range p.Value {
						if math.Abs(float64(v)-want[p][i]) > 1e-6*math.Max(1, math.Abs(want[p][i])) {
							t.Errorf("step %d %s[%d] = %.8g, want %.8g", s+1, p.Name, i, v, want[p][i])
						}
					}
				}
			}
		})
	}
}

// TestNoDecay checks that weight decay moves a zero-gradient param unless
// it is NoDecay.
func TestNoDecay(t *testing.T) {
	for _, opt := range []nn.Optimizer{
		&nn.SGD{LR: 0.1, Momentum: 0.9, WeightDecay: 0.1},
		&nn.Adam{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.1},
		&nn.Adam{LR: 0.1, Beta1: 0.9, Beta2: 0.999, Eps: 1e-8, WeightDecay: 0.1, Decoupled: true},
	} {
		w, b := param("weight", false, 1, -1), param("bias", true, 1, -1)
		opt.Step([]*nn.Param{w, b})
		if !slices.Equal(b.Value, []float32{1, -1}) {
			t.Errorf("%T: NoDecay param moved to %v", opt, b.Value)
		}
		if !(w.Value[0] < 1 && w.Value[1] > -1) {
			t.Errorf("%T: decayed param %v did not shrink", opt, w.Value)
		}
	}
}

// TestOptimizersMinimiseQuadratic minimises f(θ) = Σ a_i (θ_i − c_i)².
func TestOptimizersMinimiseQuadratic(t *testing.T) {
	a := []float32{1, 0.5, 2, 0.1}
	c := []float32{3, -1, 0.5, 2}
	for _, tc := range []struct {
		name  string
		opt   nn.Optimizer
		steps int
	}{
		{"SGD", &nn.SGD{LR: 0.2}, 400},
		{"SGD/momentum", &nn.SGD{LR: 0.05, Momentum: 0.9}, 400},
		{"SGD/nesterov", &nn.SGD{LR: 0.05, Momentum: 0.9, Nesterov: true}, 400},
		{"Adam", nn.NewAdam(0.05), 2000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := nn.NewParam("theta", len(a))
			f := func() float64 {
				s := 0.0
				for i, v := range p.Value {
					d := float64(v - c[i])
					s += float64(a[i]) * d * d
				}
				return s
			}
			f0 := f()
			for range tc.steps {
				for i, v := range p.Value {
					p.Grad[i] = 2 * a[i] * (v - c[i])
				}
				tc.opt.Step([]*nn.Param{p})
			}
			if got := f(); got > 1e-4*f0 {
				t.Errorf("f = %g after %d steps (from %g); θ = %v, want %v", got, tc.steps, f0, p.Value, c)
			}
		})
	}
}

// TestOptimizerStateRoundTrip checks that an optimizer restored from State
// continues exactly as the original would.
func TestOptimizerStateRoundTrip(t *testing.T) {
	makers := map[string]func() nn.Optimizer{
		"SGD":   func() nn.Optimizer { return &nn.SGD{LR: 0.1, Momentum: 0.9, WeightDecay: 0.01} },
		"Adam":  func() nn.Optimizer { return nn.NewAdam(0.01) },
		"SGD/0": func() nn.Optimizer { return &nn.SGD{LR: 0.1} },
	}
	for name, mk := range makers {
		t.Run(name, func(t *testing.T) {
			mkParams := func() []*nn.Param {
				return []*nn.Param{param("w", false, 1, 2, 3, 4), param("b", true, -1)}
			}
			grad := func(ps []*nn.Param, s int) {
				for _, p := range ps {
					for i, v := range p.Value {
						p.Grad[i] = v*0.5 + float32(s%3) - 1
					}
				}
			}
			orig, ps := mk(), mkParams()
			for s := range 3 {
				grad(ps, s)
				orig.Step(ps)
			}
			var saved []nn.Buffer
			for _, b := range orig.State() {
				saved = append(saved, nn.Buffer{Name: b.Name, Shape: b.Shape, Value: slices.Clone(b.Value)})
			}
			resumed, ps2 := mk(), mkParams()
			for i := range ps {
				copy(ps2[i].Value, ps[i].Value)
			}
			if err := resumed.LoadState(ps2, saved); err != nil {
				t.Fatal(err)
			}
			for s := 3; s < 6; s++ {
				grad(ps, s)
				grad(ps2, s)
				orig.Step(ps)
				resumed.Step(ps2)
			}
			for i := range ps {
				if !slices.Equal(ps[i].Value, ps2[i].Value) {
					t.Errorf("%s: resumed %v, uninterrupted %v", ps[i].Name, ps2[i].Value, ps[i].Value)
				}
			}
		})
	}
}

func TestOptimizerStateNames(t *testing.T) {
	ps := []*nn.Param{param("w", false, 1, 2), param("b", true, 3)}
	sgd := &nn.SGD{LR: 0.1, Momentum: 0.9}
	sgd.Step(ps)
	adam := nn.NewAdam(0.1)
	adam.Step(ps)
	adam.Step(ps)
	names := func(bs []nn.Buffer) (out []string) {
		for _, b := range bs {
			out = append(out, b.Name)
		}
		return out
	}
	if got, want := names(sgd.State()), []string{"optim.0.momentum", "optim.1.momentum"}; !slices.Equal(got, want) {
		t.Errorf("SGD state %v, want %v", got, want)
	}
	st := adam.State()
	if got, want := names(st), []string{"optim.step", "optim.0.exp_avg", "optim.0.exp_avg_sq", "optim.1.exp_avg", "optim.1.exp_avg_sq"}; !slices.Equal(got, want) {
		t.Errorf("Adam state %v, want %v", got, want)
	}
	if st[0].Value[0] != 2 || !slices.Equal(st[1].Shape, []int{2}) {
		t.Errorf("Adam step %v, exp_avg shape %v; want 2, [2]", st[0].Value, st[1].Shape)
	}
}

func TestOptimizerLoadStateErrors(t *testing.T) {
	ps := []*nn.Param{param("w", false, 1, 2), param("b", true, 3)}
	good := []nn.Buffer{
		{Name: "optim.0.momentum", Shape: []int{2}, Value: []float32{1, 2}},
		{Name: "optim.1.momentum", Shape: []int{1}, Value: []float32{3}},
	}
	cases := []struct {
		name  string
		state []nn.Buffer
		want  string
	}{
		{"missing", good[:1], "no optim.1.momentum"},
		{"shape", []nn.Buffer{good[0], {Name: "optim.1.momentum", Shape: []int{2}, Value: []float32{3, 4}}}, "optim.1.momentum has shape [2]"},
		{"extra", append(slices.Clone(good), nn.Buffer{Name: "optim.2.momentum", Shape: []int{1}, Value: []float32{0}}), "unexpected buffers optim.2.momentum"},
		{"duplicate", append(slices.Clone(good), good[0]), "duplicate buffer optim.0.momentum"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opt := &nn.SGD{LR: 0.1, Momentum: 0.9}
			err := opt.LoadState(ps, c.state)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one containing %q", err, c.want)
			}
		})
	}
	adam := nn.NewAdam(0.1)
	if err := adam.LoadState(ps, nil); err == nil || !strings.Contains(err.Error(), "optim.step") {
		t.Errorf("Adam without optim.step: error %v", err)
	}
	stepped := []nn.Buffer{{Name: "optim.step", Shape: []int{1}, Value: []float32{5}}}
	if err := adam.LoadState(ps, stepped); err == nil || !strings.Contains(err.Error(), "no optim.0.exp_avg") {
		t.Errorf("Adam at step 5 without moments: error %v", err)
	}
}

// TestOptimizerFreshState checks that the state of an optimizer that never
// stepped loads, and behaves as a new optimizer.
func TestOptimizerFreshState(t *testing.T) {
	for _, mk := range []func() nn.Optimizer{
		func() nn.Optimizer { return &nn.SGD{LR: 0.1, Momentum: 0.9} },
		func() nn.Optimizer { return nn.NewAdam(0.1) },
	} {
		a, b := mk(), mk()
		pa, pb := param("w", false, 1, 2), param("w", false, 1, 2)
		if err := b.LoadState([]*nn.Param{pb}, mk().State()); err != nil {
			t.Fatalf("%T: %v", b, err)
		}
		for s := range 3 {
			copy(pa.Grad, []float32{float32(s), -1})
			copy(pb.Grad, pa.Grad)
			a.Step([]*nn.Param{pa})
			b.Step([]*nn.Param{pb})
		}
		if !slices.Equal(pa.Value, pb.Value) {
			t.Errorf("%T: loaded fresh state gives %v, new optimizer %v", b, pb.Value, pa.Value)
		}
	}
}

func TestOptimizerRejectsOtherParams(t *testing.T) {
	opt := &nn.SGD{LR: 0.1, Momentum: 0.9}
	opt.Step([]*nn.Param{param("w", false, 1)})
	defer func() {
		if recover() == nil {
			t.Error("Step with different params did not panic")
		}
	}()
	opt.Step([]*nn.Param{param("w", false, 1)})
}
