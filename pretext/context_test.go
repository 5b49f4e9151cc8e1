package pretext

import (
	"bytes"
	"fmt"
	"testing"
)

// contextOffset is the grid offset (dx, dy), each in {−1, 0, 1}, of class
// k's neighbour relative to the centre patch (dy = −1 is above).
func contextOffset(k int) (dx, dy int) {
	return contextCells[k][0] - 1, contextCells[k][1] - 1
}

// TestContextLabels: the first patch is found in the centre cell of the
// working image and the second in the neighbour cell the label names.
func TestContextLabels(t *testing.T) {
	for _, c := range []struct {
		size, work int
		drop       bool
	}{{32, 48, true}, {32, 48, false}, {96, 96, true}} {
		t.Run(fmt.Sprintf("%d_drop%v", c.size, c.drop), func(t *testing.T) {
			ctx := NewContext(c.size)
			ctx.ColorDrop = c.drop
			if ctx.WorkingSize() != c.work || ctx.TileSize() < 12 {
				t.Fatalf("working size %d, tile %d", ctx.WorkingSize(), ctx.TileSize())
			}
			g := ctx.g
			img := noiseImage(c.size, c.size, 4)
			work := Resize(img, c.work, c.work)
			x, y := sampleBuffers(ctx)
			n := g.tile * g.tile
			for s := uint64(0); s < 4; s++ {
				ctx.Make(img, newRNG(s), x, y)
				dx, dy := contextOffset(y[0])
				wantCells := [2][2]int{{1, 1}, {1 + dx, 1 + dy}}
				for tile := 0; tile < 2; tile++ {
					kept := 0
					for ch := 0; ch < 3; ch++ {
						plane := x[(tile*3+ch)*n : (tile*3+ch+1)*n]
						_, sd := meanStd(plane)
						if c.drop && sd < 0.05 {
							continue // a dropped channel: faint noise
						}
						kept++
						bx, by, ncc := bestMatch(work, ch, plane, g.tile)
						cx, cy := (bx+g.tile/2)/g.cell, (by+g.tile/2)/g.cell
						if ncc < 0.999 || [2]int{cx, cy} != wantCells[tile] {
							t.Fatalf("seed %d label %d: patch %d channel %d found in cell (%d,%d) (ncc %.3f), want %v",
								s, y[0], tile, ch, cx, cy, ncc, wantCells[tile])
						}
					}
					if want := map[bool]int{true: 1, false: 3}[c.drop]; kept != want {
						t.Fatalf("patch %d keeps %d channels, want %d", tile, kept, want)
					}
				}
			}
		})
	}
	for k := 0; k < 8; k++ {
		dx, dy := contextOffset(k)
		if dx == 0 && dy == 0 || dx < -1 || dx > 1 || dy < -1 || dy > 1 {
			t.Errorf("contextOffset(%d) = (%d, %d)", k, dx, dy)
		}
	}
}

func TestContextRender(t *testing.T) {
	ctx := NewContext(64)
	x, y := sampleBuffers(ctx)
	ctx.Make(blobImage(64, 64, 1), newRNG(2), x, y)
	// Colour-dropped patches are shown in gray.
	if p := displayPatch(x[:3*ctx.TileSize()*ctx.TileSize()], ctx.TileSize()); p.Pix[0] != p.Pix[1] || p.Pix[0] != p.Pix[2] {
		t.Error("colour-dropped patch not rendered in gray")
	}
	pred := []int{(y[0] + 3) % 8}
	out := ctx.Render(x, y, pred)
	ts := ctx.TileSize()
	side := 3*(ts+2) - 2
	if out.Width != 2*side+4 || out.Height != side {
		t.Fatalf("render %d×%d, want %d×%d", out.Width, out.Height, 2*side+4, side)
	}
	n := 3 * ts * ts
	centre, other := displayPatch(x[:n], ts), displayPatch(x[n:], ts)
	for panel, k := range []int{y[0], pred[0]} {
		x0 := panel * (side + 4)
		if !bytes.Equal(out.Crop(x0+ts+2, ts+2, ts, ts).Pix, centre.Pix) {
			t.Errorf("panel %d: centre patch not in the middle", panel)
		}
		dx, dy := contextOffset(k)
		if !bytes.Equal(out.Crop(x0+(1+dx)*(ts+2), (1+dy)*(ts+2), ts, ts).Pix, other.Pix) {
			t.Errorf("panel %d: neighbour patch not at offset (%d, %d)", panel, dx, dy)
		}
	}
}
