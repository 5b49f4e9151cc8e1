package ui

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Series is one line of a chart.
type Series struct {
	Name   string
	Color  string // CSS colour
	Dashed bool
	X, Y   []float64
}

// Chart is a line chart with axes, ticks, grid and a legend, drawn as SVG
// markup. YMin and YMax fix the y range when YMax > YMin; otherwise it
// fits the data.
type Chart struct {
	Title, XLabel, YLabel string
	YMin, YMax            float64
	Series                []Series
	// Width and Height are the SVG's user units (default 480×240); the SVG
	// scales to its container, so a wide box wants a wide chart.
	Width, Height int
}

// Chart margins, in SVG user units.
const padLeft, padRight, padTop, padBottom = 52, 14, 30, 38

// niceTicks returns about n round tick values covering [lo, hi].
func niceTicks(lo, hi float64, n int) []float64 {
	if !(hi > lo) {
		hi = lo + 1
	}
	raw := (hi - lo) / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	step := mag
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			step = m * mag
			break
		}
	}
	var ticks []float64
	for k := math.Ceil(lo / step); k*step <= hi+step*1e-9; k++ {
		// k·step rounded to 12 digits: 6 × 0.2 is 1.2, not 1.2000000000000002.
		v, _ := strconv.ParseFloat(strconv.FormatFloat(k*step, 'g', 12, 64), 64)
		ticks = append(ticks, v)
	}
	return ticks
}

func formatTick(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e6 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 3, 64)
}

// bounds returns the data range of all series.
func (c Chart) bounds() (x0, x1, y0, y1 float64, ok bool) {
	x0, y0 = math.Inf(1), math.Inf(1)
	x1, y1 = math.Inf(-1), math.Inf(-1)
	for _, s := range c.Series {
		for i := range min(len(s.X), len(s.Y)) {
			if math.IsNaN(s.Y[i]) || math.IsInf(s.Y[i], 0) {
				continue
			}
			x0, x1 = math.Min(x0, s.X[i]), math.Max(x1, s.X[i])
			y0, y1 = math.Min(y0, s.Y[i]), math.Max(y1, s.Y[i])
			ok = true
		}
	}
	if c.YMax > c.YMin {
		y0, y1 = c.YMin, c.YMax
	}
	if ok && x1 == x0 {
		x1 = x0 + 1
	}
	if ok && y1 == y0 {
		y0, y1 = y0-0.5, y1+0.5
	}
	return
}

// SVG renders the chart. With no data it draws the axes and a hint.
func (c Chart) SVG() string {
	chartW, chartH := c.Width, c.Height
	if chartW <= 0 || chartH <= 0 {
		chartW, chartH = 480, 240
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		chartW, chartH, html.EscapeString(c.Title))
	fmt.Fprintf(&b, `<text class="chart-title" x="%d" y="18">%s</text>`, padLeft, html.EscapeString(c.Title))
	x0, x1, y0, y1, ok := c.bounds()
	pw, ph := float64(chartW-padLeft-padRight), float64(chartH-padTop-padBottom)
	if !ok {
		x0, x1, y0, y1 = 0, 1, 0, 1
		if c.YMax > c.YMin {
			y0, y1 = c.YMin, c.YMax
		}
	}
	yt := niceTicks(y0, y1, 4)
	if c.YMax <= c.YMin && len(yt) > 0 {
		y0, y1 = math.Min(y0, yt[0]), math.Max(y1, yt[len(yt)-1])
	}
	px := func(x float64) float64 { return float64(padLeft) + (x-x0)/(x1-x0)*pw }
	py := func(y float64) float64 { return float64(padTop) + (1-(y-y0)/(y1-y0))*ph }
	for _, t := range yt {
		if t < y0-1e-9 || t > y1+1e-9 {
			continue
		}
		fmt.Fprintf(&b, `<line class="grid" x1="%d" x2="%d" y1="%.1f" y2="%.1f"/>`, padLeft, chartW-padRight, py(t), py(t))
		fmt.Fprintf(&b, `<text class="tick" x="%d" y="%.1f" text-anchor="end">%s</text>`, padLeft-6, py(t)+4, formatTick(t))
	}
	for _, t := range niceTicks(x0, x1, 5) {
		// x counts steps: whole numbers only.
		if t < x0-1e-9 || t > x1+1e-9 || t != math.Trunc(t) {
			continue
		}
		fmt.Fprintf(&b, `<line class="tickmark" x1="%.1f" x2="%.1f" y1="%d" y2="%d"/>`, px(t), px(t), chartH-padBottom, chartH-padBottom+4)
		fmt.Fprintf(&b, `<text class="tick" x="%.1f" y="%d" text-anchor="middle">%s</text>`, px(t), chartH-padBottom+16, formatTick(t))
	}
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%d" y2="%d"/>`, padLeft, chartW-padRight, chartH-padBottom, chartH-padBottom)
	fmt.Fprintf(&b, `<line class="axis" x1="%d" x2="%d" y1="%d" y2="%d"/>`, padLeft, padLeft, padTop, chartH-padBottom)
	fmt.Fprintf(&b, `<text class="label" x="%.1f" y="%d" text-anchor="middle">%s</text>`, float64(padLeft)+pw/2, chartH-6, html.EscapeString(c.XLabel))
	fmt.Fprintf(&b, `<text class="label" transform="translate(14 %.1f) rotate(-90)" text-anchor="middle">%s</text>`, float64(padTop)+ph/2, html.EscapeString(c.YLabel))
	if !ok {
		fmt.Fprintf(&b, `<text class="hint" x="%.1f" y="%.1f" text-anchor="middle">no data yet</text>`, float64(padLeft)+pw/2, float64(padTop)+ph/2)
	}
	for _, s := range c.Series {
		var pts []string
		for j := range min(len(s.X), len(s.Y)) {
			if math.IsNaN(s.Y[j]) || math.IsInf(s.Y[j], 0) {
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", px(s.X[j]), py(math.Max(y0, math.Min(y1, s.Y[j])))))
		}
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="5 4"`
		}
		if len(pts) == 1 {
			xy := strings.Split(pts[0], ",")
			fmt.Fprintf(&b, `<circle class="series" cx="%s" cy="%s" r="3" fill="%s"/>`, xy[0], xy[1], s.Color)
		} else if len(pts) > 1 {
			fmt.Fprintf(&b, `<polyline class="series" fill="none" stroke="%s" stroke-width="2"%s points="%s"/>`, s.Color, dash, strings.Join(pts, " "))
		}
	}
	// Legend, right-aligned on the title line, in series order.
	lx := float64(chartW - padRight)
	for i := len(c.Series) - 1; i >= 0; i-- {
		s := c.Series[i]
		dash := ""
		if s.Dashed {
			dash = ` stroke-dasharray="5 4"`
		}
		lx -= 28 + 6.2*float64(len([]rune(s.Name)))
		fmt.Fprintf(&b, `<line x1="%.1f" x2="%.1f" y1="14" y2="14" stroke="%s" stroke-width="3"%s/>`, lx, lx+14, s.Color, dash)
		fmt.Fprintf(&b, `<text class="legend" x="%.1f" y="18">%s</text>`, lx+18, html.EscapeString(s.Name))
	}
	b.WriteString(`</svg>`)
	return b.String()
}
