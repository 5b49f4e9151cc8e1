package ui

import (
	"fmt"
	"html"
	"math"
	"slices"
	"strings"

	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Scatter is one trunk's feature map drawn as SVG markup: every image a
// dot coloured by its class (ClassColor), placed by its two principal
// coordinates with one scale for both axes (so distances on the map are
// distances in the projection). The dots live in an inner <svg> whose
// viewBox is View: zooming and panning change that viewBox and nothing
// else, while the title and the axis captions stay put in the outer one.
type Scatter struct {
	Title, XLabel, YLabel string
	Points                []protocol.MapPoint
	View                  Viewport
	// Marked are pool indices to ring (the neighbours query first, ringed
	// larger, then its neighbours); they are drawn even when sampled out.
	Marked []int
	// MaxDots bounds the dots drawn (0: DefaultMaxDots): when more are in
	// view, an even sample of them is drawn (Visible).
	MaxDots int
}

// DefaultMaxDots is Scatter.MaxDots's default: enough for a dense map,
// few enough that a re-render stays cheap on the page's thread.
const DefaultMaxDots = 3000

// The outer frame, in its user units: margins around the plot square of
// side scatterSide, and a dot's radius on screen.
const (
	scatterPadLeft, scatterPadTop, scatterPadRight, scatterPadBottom = 28, 28, 8, 34
	scatterSide                                                      = 340
	dotRadius                                                        = 2.6
)

// placement maps data coordinates to plot units: the centre of the data's
// bounding box goes to the plot's centre, and one scale fits the larger
// extent, widened 4 % each side, into [0, PlotSize]; y grows upwards.
type placement struct{ cx, cy, scale float64 }

func place(pts []protocol.MapPoint) placement {
	if len(pts) == 0 {
		return placement{scale: 1}
	}
	x0, x1 := math.Inf(1), math.Inf(-1)
	y0, y1 := math.Inf(1), math.Inf(-1)
	for _, p := range pts {
		x, y := float64(p.X), float64(p.Y)
		x0, x1, y0, y1 = math.Min(x0, x), math.Max(x1, x), math.Min(y0, y), math.Max(y1, y)
	}
	extent := math.Max(x1-x0, y1-y0)
	if !(extent > 0) || math.IsInf(extent, 0) {
		extent = 1
	}
	return placement{cx: (x0 + x1) / 2, cy: (y0 + y1) / 2, scale: PlotSize / (1.08 * extent)}
}

func (p placement) at(x, y float32) (float64, float64) {
	return PlotSize/2 + (float64(x)-p.cx)*p.scale, PlotSize/2 - (float64(y)-p.cy)*p.scale
}

func (s Scatter) maxDots() int {
	if s.MaxDots > 0 {
		return s.MaxDots
	}
	return DefaultMaxDots
}

// Visible is the indices into Points of the dots drawn, in order, and how
// many dots the view holds: all of them when they are at most MaxDots,
// else MaxDots of them evenly spaced in Points's order (the i-th of n at
// ⌊i·n/MaxDots⌋), which is deterministic and keeps the classes' shares.
func (s Scatter) Visible() (idx []int, inView int) {
	pl := place(s.Points)
	pad := dotRadius * s.View.norm().Size / scatterSide
	var in []int
	for i, p := range s.Points {
		if x, y := pl.at(p.X, p.Y); s.View.Contains(x, y, pad) {
			in = append(in, i)
		}
	}
	limit := s.maxDots()
	if len(in) <= limit {
		return in, len(in)
	}
	idx = make([]int, limit)
	for i := range limit {
		idx[i] = in[i*len(in)/limit]
	}
	return idx, len(in)
}

// SVG renders the map; with no points it draws the frame and a hint.
func (s Scatter) SVG() string {
	w, h := scatterPadLeft+scatterSide+scatterPadRight, scatterPadTop+scatterSide+scatterPadBottom
	view := s.View.norm()
	r := dotRadius * view.Size / scatterSide // a dot keeps its size on screen at any zoom
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart scatter" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		w, h, html.EscapeString(s.Title))
	fmt.Fprintf(&b, `<text class="chart-title" x="%d" y="18">%s</text>`, scatterPadLeft, html.EscapeString(s.Title))
	fmt.Fprintf(&b, `<svg class="plot" x="%d" y="%d" width="%d" height="%d" viewBox="%s">`,
		scatterPadLeft, scatterPadTop, scatterSide, scatterSide, view.ViewBox())
	pl := place(s.Points)
	if len(s.Points) > 0 {
		// The principal axes cross at the features' mean, the origin.
		ox, oy := pl.at(0, 0)
		fmt.Fprintf(&b, `<line class="origin" x1="0" x2="%g" y1="%.1f" y2="%.1f" vector-effect="non-scaling-stroke"/>`, PlotSize, oy, oy)
		fmt.Fprintf(&b, `<line class="origin" x1="%.1f" x2="%.1f" y1="0" y2="%g" vector-effect="non-scaling-stroke"/>`, ox, ox, PlotSize)
	}
	idx, _ := s.Visible()
	// One group per class, unlabeled first so the classes draw over them.
	byClass := map[int][]int{}
	for _, i := range idx {
		byClass[s.Points[i].Class] = append(byClass[s.Points[i].Class], i)
	}
	classes := make([]int, 0, len(byClass))
	for k := range byClass {
		classes = append(classes, k)
	}
	slices.Sort(classes)
	for _, k := range classes {
		fmt.Fprintf(&b, `<g class="dots" fill="%s" data-class="%d">`, ClassColor(k), k)
		for _, i := range byClass[k] {
			p := s.Points[i]
			x, y := pl.at(p.X, p.Y)
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="%.2f" data-pool="%d"/>`, x, y, r, p.Pool)
		}
		b.WriteString(`</g>`)
	}
	for m, pool := range s.Marked {
		class, ring := "mark", 2.2*r
		if m == 0 {
			class, ring = "mark query", 3.2*r
		}
		for _, p := range s.Points {
			if p.Pool == pool {
				x, y := pl.at(p.X, p.Y)
				fmt.Fprintf(&b, `<circle class="%s" cx="%.1f" cy="%.1f" r="%.2f" fill="none" vector-effect="non-scaling-stroke" data-pool="%d"/>`,
					class, x, y, ring, pool)
				break
			}
		}
	}
	b.WriteString(`</svg>`)
	fmt.Fprintf(&b, `<rect class="frame" x="%d" y="%d" width="%d" height="%d" fill="none"/>`, scatterPadLeft, scatterPadTop, scatterSide, scatterSide)
	fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="middle">%s</text>`,
		scatterPadLeft+scatterSide/2, h-10, html.EscapeString(s.XLabel))
	fmt.Fprintf(&b, `<text class="label" transform="translate(16 %d) rotate(-90)" text-anchor="middle">%s</text>`,
		scatterPadTop+scatterSide/2, html.EscapeString(s.YLabel))
	if len(s.Points) == 0 {
		fmt.Fprintf(&b, `<text class="hint" x="%d" y="%d" text-anchor="middle">no data yet</text>`,
			scatterPadLeft+scatterSide/2, scatterPadTop+scatterSide/2)
	}
	b.WriteString(`</svg>`)
	return b.String()
}
