package pretext

import "fmt"

// Helpers shared by the tasks' Make and Render.

// canvas is a helper for renderings: a light-gray image onto which tiles are pasted.
func canvas(w, h int) *Image {
	img := NewImage(w, h)
	img.Fill(235, 235, 235)
	return img
}

// sideBySide lays panels out left to right with a gap of gap pixels,
// vertically centred.
func sideBySide(gap int, panels ...*Image) *Image {
	w, h := -gap, 0
	for _, p := range panels {
		w += p.Width + gap
		h = max(h, p.Height)
	}
	out := NewImage(w, h)
	out.Fill(255, 255, 255)
	x := 0
	for _, p := range panels {
		out.Paste(p, x, (h-p.Height)/2)
		x += p.Width + gap
	}
	return out
}

// checkSample panics when x and y do not have the lengths task t requires.
func checkSample(t Task, x []float32, y []int, samples int) {
	wantX := samples * t.Tiles() * 3 * t.TileSize() * t.TileSize()
	wantY := samples * t.Positions()
	if len(x) != wantX || (y != nil && len(y) != wantY) {
		panic(fmt.Sprintf("pretext: %s: x has length %d (want %d), y has length %d (want %d)",
			t.Name(), len(x), wantX, len(y), wantY))
	}
}
