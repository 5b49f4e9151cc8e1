package ui

import (
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

func TestViewportApply(t *testing.T) {
	full := Viewport{0, 0, PlotSize}
	for _, tc := range []struct {
		name string
		from Viewport
		acts []ViewAction
		want Viewport
	}{
		{"the zero view is the whole plot", Viewport{}, nil, full},
		{"zoom in halves the side about the centre", Viewport{}, []ViewAction{ZoomIn}, Viewport{250, 250, 500}},
		{"zoom in twice", Viewport{}, []ViewAction{ZoomIn, ZoomIn}, Viewport{375, 375, 250}},
		{"zoom out of the whole plot stays whole", Viewport{}, []ViewAction{ZoomOut}, full},
		{"zoom out undoes zoom in", Viewport{}, []ViewAction{ZoomIn, ZoomIn, ZoomOut}, Viewport{250, 250, 500}},
		{"reset", Viewport{100, 300, 125}, []ViewAction{ZoomReset}, full},
		{"pan right moves a quarter of the side", Viewport{250, 250, 500}, []ViewAction{PanRight}, Viewport{375, 250, 500}},
		{"pan up moves y down", Viewport{250, 250, 500}, []ViewAction{PanUp}, Viewport{250, 125, 500}},
		{"pan stops at the edge", Viewport{250, 250, 500}, []ViewAction{PanLeft, PanLeft, PanLeft}, Viewport{0, 250, 500}},
		{"pan of the whole plot does nothing", Viewport{}, []ViewAction{PanDown}, full},
		{"zoom out near an edge stays inside", Viewport{0, 500, 500}, []ViewAction{ZoomOut}, full},
		{"zoom in stops at MaxZoom", Viewport{}, []ViewAction{ZoomIn, ZoomIn, ZoomIn, ZoomIn, ZoomIn, ZoomIn, ZoomIn},
			Viewport{PlotSize/2 - PlotSize/MaxZoom/2, PlotSize/2 - PlotSize/MaxZoom/2, PlotSize / MaxZoom}},
	} {
		v := tc.from
		for _, a := range tc.acts {
			v = v.Apply(a)
		}
		if v.norm() != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, v.norm(), tc.want)
		}
	}
	if z := (Viewport{}).Apply(ZoomIn).Apply(ZoomIn).Zoom(); z != 4 {
		t.Errorf("zoom after two zoom-ins = %v, want 4", z)
	}
}

// circle is one dot of a rendered scatter.
type circle struct {
	x, y, r float64
	pool    int
	fill    string
}

var (
	groupRE   = regexp.MustCompile(`<g class="dots" fill="([^"]+)" data-class="(-?\d+)">(.*?)</g>`)
	circleRE  = regexp.MustCompile(`<circle cx="([-\d.]+)" cy="([-\d.]+)" r="([\d.]+)" data-pool="(\d+)"/>`)
	viewBoxRE = regexp.MustCompile(`<svg class="plot"[^>]* viewBox="([^"]+)"`)
)

// dots parses the dots of a scatter's SVG, with their group's fill, and
// checks that each group holds its class's colour.
func dots(t *testing.T, svg string) []circle {
	t.Helper()
	var out []circle
	for _, g := range groupRE.FindAllStringSubmatch(svg, -1) {
		k, _ := strconv.Atoi(g[2])
		if g[1] != ClassColor(k) {
			t.Errorf("class %d drawn in %s, want %s", k, g[1], ClassColor(k))
		}
		for _, c := range circleRE.FindAllStringSubmatch(g[3], -1) {
			var d circle
			d.x, _ = strconv.ParseFloat(c[1], 64)
			d.y, _ = strconv.ParseFloat(c[2], 64)
			d.r, _ = strconv.ParseFloat(c[3], 64)
			d.pool, _ = strconv.Atoi(c[4])
			d.fill = g[1]
			out = append(out, d)
		}
	}
	return out
}

func TestScatterSVG(t *testing.T) {
	// A 4 × 1 data box: the scale fits x, and y keeps the same scale.
	pts := []protocol.MapPoint{
		{X: -2, Y: 0, Class: 0, Pool: 10},
		{X: 2, Y: 0, Class: 1, Pool: 11},
		{X: 0, Y: 0.5, Class: -1, Pool: 12},
		{X: 0, Y: -0.5, Class: 1, Pool: 13},
	}
	sc := Scatter{Title: "before <&>", XLabel: "PC 1 · 40.0 %", YLabel: "PC 2 · 10.0 %", Points: pts, Marked: []int{12, 10}}
	svg := sc.SVG()
	for _, want := range []string{`before &lt;&amp;&gt;`, `>PC 1 · 40.0 %<`, `>PC 2 · 10.0 %<`, `class="mark query"`, `class="origin"`} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if m := viewBoxRE.FindStringSubmatch(svg); m == nil || m[1] != "0.00 0.00 1000.00 1000.00" {
		t.Errorf("plot viewBox %v, want the whole plot", m)
	}
	ds := dots(t, svg)
	if len(ds) != len(pts) {
		t.Fatalf("%d dots, want %d:\n%s", len(ds), len(pts), svg)
	}
	at := map[int]circle{}
	for _, d := range ds {
		if d.x < 0 || d.x > PlotSize || d.y < 0 || d.y > PlotSize {
			t.Errorf("dot %d at (%v, %v), outside the plot", d.pool, d.x, d.y)
		}
		at[d.pool] = d
	}
	// The widest extent spans the plot less its 4 % margins; the centre is the centre.
	if span := at[11].x - at[10].x; span < 0.9*PlotSize || span > 0.95*PlotSize {
		t.Errorf("x span %v of %v", span, PlotSize)
	}
	if at[10].y != PlotSize/2 || at[12].x != PlotSize/2 {
		t.Errorf("the data's centre is not the plot's: %+v %+v", at[10], at[12])
	}
	// One scale for both axes, and y grows upwards (SVG y downwards).
	if dx, dy := at[11].x-at[10].x, at[13].y-at[12].y; math.Abs(dx/4-dy) > 0.2 {
		t.Errorf("x scale %v, y scale %v", dx/4, dy)
	}
	if !(at[12].y < at[13].y) {
		t.Error("a higher PC 2 is not drawn higher")
	}
	if at[12].fill != colorUnlabeled || at[11].fill != ClassColor(1) || at[13].fill != ClassColor(1) {
		t.Errorf("fills %+v", at)
	}
	// Unlabeled dots are drawn first, under the classes.
	if i, j := strings.Index(svg, `data-class="-1"`), strings.Index(svg, `data-class="0"`); !(i >= 0 && i < j) {
		t.Error("unlabeled dots drawn over the classes")
	}

	// Zoomed on the top-left quarter's centre: the viewBox changes, the
	// dots far off are left out, the others keep their places and shrink
	// in plot units so that they keep their size on screen.
	sc.View = Viewport{}.Apply(ZoomIn)
	zoomed := sc.SVG()
	if m := viewBoxRE.FindStringSubmatch(zoomed); m == nil || m[1] != "250.00 250.00 500.00 500.00" {
		t.Errorf("zoomed viewBox %v", m)
	}
	zs := dots(t, zoomed)
	if len(zs) != 2 || zs[0].pool == 10 || zs[1].pool == 10 {
		t.Errorf("zoomed in, dots %+v; want only the two near the centre", zs)
	}
	for _, d := range zs {
		if d.x != at[d.pool].x || d.y != at[d.pool].y || math.Abs(2*d.r-at[d.pool].r) > 0.02 {
			t.Errorf("dot %d zoomed %+v, whole %+v", d.pool, d, at[d.pool])
		}
	}

	if empty := (Scatter{Title: "t"}).SVG(); !strings.Contains(empty, "no data yet") || strings.Contains(empty, "<circle") {
		t.Errorf("empty scatter: %s", empty)
	}
}

// Above MaxDots the dots in view are an even, deterministic sample; 10,000
// points render.
func TestScatterSamples(t *testing.T) {
	const n = 10000
	pts := make([]protocol.MapPoint, n)
	for i := range pts {
		pts[i] = protocol.MapPoint{X: float32(i % 100), Y: float32(i / 100), Class: i % 3, Pool: i}
	}
	sc := Scatter{Points: pts}
	idx, inView := sc.Visible()
	if inView != n || len(idx) != DefaultMaxDots {
		t.Fatalf("%d shown of %d in view, want %d of %d", len(idx), inView, DefaultMaxDots, n)
	}
	svg := sc.SVG()
	if got := len(dots(t, svg)); got != DefaultMaxDots {
		t.Errorf("%d dots drawn", got)
	}
	if svg != sc.SVG() {
		t.Error("the sample is not deterministic")
	}
	perClass := map[int]int{}
	for _, i := range idx {
		perClass[pts[i].Class]++
	}
	for k, c := range perClass {
		if c < DefaultMaxDots/3-2 || c > DefaultMaxDots/3+2 {
			t.Errorf("class %d has %d of the %d dots: the sample skews the classes", k, c, DefaultMaxDots)
		}
	}
	// Zoomed 4×, about a sixteenth of the points are in view: all drawn.
	sc.View = Viewport{}.Apply(ZoomIn).Apply(ZoomIn)
	idx, inView = sc.Visible()
	if inView >= DefaultMaxDots || len(idx) != inView || inView < n/20 {
		t.Errorf("zoomed: %d shown of %d in view", len(idx), inView)
	}
}

func TestClassColor(t *testing.T) {
	seen := map[string]int{}
	for k := range 24 {
		c := ClassColor(k)
		if c == colorUnlabeled {
			t.Errorf("class %d looks unlabeled", k)
		}
		if j, dup := seen[c]; dup {
			t.Errorf("classes %d and %d share %s", j, k, c)
		}
		seen[c] = k
	}
	if ClassColor(-1) != colorUnlabeled || ClassColor(-7) != colorUnlabeled {
		t.Error("unlabeled is not grey")
	}
}
