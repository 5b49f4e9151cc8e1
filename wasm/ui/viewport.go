package ui

import "fmt"

// PlotSize is the side of a scatter's plot square in its own user units:
// the data are placed in [0, PlotSize]² and a Viewport is the part of that
// square the plot shows (its inner <svg>'s viewBox).
const PlotSize = 1000.0

// MaxZoom bounds how far a scatter zooms in: a view is at least
// PlotSize/MaxZoom wide.
const MaxZoom = 32.0

// Viewport is the visible square of a plot: top-left corner (X, Y) and
// side Size, in plot units. The zero Viewport is the whole plot.
type Viewport struct {
	X, Y, Size float64
}

// ViewAction is one of the zoom and pan buttons.
type ViewAction int

const (
	ZoomIn ViewAction = iota
	ZoomOut
	ZoomReset
	PanLeft
	PanRight
	PanUp
	PanDown
)

// norm is v with the zero value as the whole plot, the side within
// [PlotSize/MaxZoom, PlotSize] and the square inside the plot.
func (v Viewport) norm() Viewport {
	if v.Size <= 0 || v.Size >= PlotSize {
		return Viewport{0, 0, PlotSize}
	}
	v.Size = max(v.Size, PlotSize/MaxZoom)
	v.X = min(max(v.X, 0), PlotSize-v.Size)
	v.Y = min(max(v.Y, 0), PlotSize-v.Size)
	return v
}

// Apply is the view after a button: zooming halves or doubles the side
// about the centre, panning moves the view a quarter of its side, and
// every result stays inside the plot (norm).
func (v Viewport) Apply(a ViewAction) Viewport {
	v = v.norm()
	cx, cy := v.X+v.Size/2, v.Y+v.Size/2
	step := v.Size / 4
	switch a {
	case ZoomIn:
		v.Size /= 2
	case ZoomOut:
		v.Size *= 2
	case ZoomReset:
		return Viewport{}.norm()
	case PanLeft:
		cx -= step
	case PanRight:
		cx += step
	case PanUp:
		cy -= step
	case PanDown:
		cy += step
	}
	v.Size = min(max(v.Size, PlotSize/MaxZoom), PlotSize) // zoom about the centre, also at the limits
	v.X, v.Y = cx-v.Size/2, cy-v.Size/2
	return v.norm()
}

// Zoom is how many times the view magnifies the whole plot.
func (v Viewport) Zoom() float64 { return PlotSize / v.norm().Size }

// Contains tells whether plot point (x, y) is in the view, widened by pad.
func (v Viewport) Contains(x, y, pad float64) bool {
	v = v.norm()
	return x >= v.X-pad && x <= v.X+v.Size+pad && y >= v.Y-pad && y <= v.Y+v.Size+pad
}

// ViewBox is the view as an SVG viewBox attribute value.
func (v Viewport) ViewBox() string {
	v = v.norm()
	return fmt.Sprintf("%.2f %.2f %.2f %.2f", v.X, v.Y, v.Size, v.Size)
}
