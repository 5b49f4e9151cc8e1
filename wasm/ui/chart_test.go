package ui

import (
	"fmt"
	"strings"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 100, "[0 25 50 75 100]"},
		{0, 1, "[0 0.25 0.5 0.75 1]"},
		{1.2, 1.9, "[1.2 1.4 1.6 1.8]"},
		{0, 64, "[0 20 40 60]"},
		{3, 3, "[3 3.25 3.5 3.75 4]"},
	} {
		if got := fmt.Sprint(niceTicks(tc.lo, tc.hi, 4)); got != tc.want {
			t.Errorf("niceTicks(%v, %v) = %s, want %s", tc.lo, tc.hi, got, tc.want)
		}
	}
}

func TestChartSVG(t *testing.T) {
	c := Chart{Title: "Loss <&>", XLabel: "step", YLabel: "loss", Series: []Series{
		{Name: "a", Color: "red", X: []float64{1, 2, 3}, Y: []float64{3, 2, 1}},
		{Name: "b", Color: "blue", Dashed: true, X: []float64{1}, Y: []float64{2}},
	}}
	svg := c.SVG()
	for _, want := range []string{`<svg`, `Loss &lt;&amp;&gt;`, `<polyline`, `stroke="red"`, `<circle`, `>step<`, `>loss<`} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if strings.Contains(svg, "no data yet") {
		t.Error("a chart with data says it has none")
	}
	// The polyline goes down and right: three points, x increasing, y (SVG) increasing.
	i := strings.Index(svg, `points="`)
	pts := strings.Fields(svg[i+len(`points="`) : i+strings.Index(svg[i:], `"/>`)])
	if len(pts) != 3 {
		t.Fatalf("polyline points %v", pts)
	}
	var x0, y0, x2, y2 float64
	fmt.Sscanf(pts[0], "%f,%f", &x0, &y0)
	fmt.Sscanf(pts[2], "%f,%f", &x2, &y2)
	if !(x2 > x0 && y2 > y0) {
		t.Errorf("a falling loss should run right and down in SVG coordinates: %v", pts)
	}
	if empty := (Chart{Title: "t"}).SVG(); !strings.Contains(empty, "no data yet") || strings.Contains(empty, "<polyline") {
		t.Errorf("empty chart: %s", empty)
	}
}
