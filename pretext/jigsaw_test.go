package pretext

import (
	"bytes"
	"fmt"
	"math"
	"testing"
)

// TestJigsawLabels: every tile of the puzzle is found (by normalised
// cross-correlation against the source, channel by channel) in the grid cell
// the label's permutation names, so putting the tiles back by the
// permutation reassembles the image.
func TestJigsawLabels(t *testing.T) {
	for _, c := range []struct {
		size, grid, perms int
		shift             bool
	}{{32, 2, 24, true}, {32, 2, 24, false}, {64, 3, 100, true}, {64, 3, 100, false}} {
		t.Run(fmt.Sprintf("%d_%dx%d_shift%v", c.size, c.grid, c.grid, c.shift), func(t *testing.T) {
			j := NewJigsaw(c.size, c.grid, c.perms, 1)
			j.GrayProb = 0
			if !c.shift {
				j.ChannelShift = 0
			}
			g := j.g
			img := noiseImage(c.size, c.size, 3)
			x, y := sampleBuffers(j)
			n := g.tile * g.tile
			for s := uint64(0); s < 3; s++ {
				j.Make(img, newRNG(s), x, y)
				perm := j.Permutation(y[0])
				for slot := 0; slot < j.Tiles(); slot++ {
					tile := x[slot*3*n : (slot+1)*3*n]
					var pos [3][2]int
					for ch := 0; ch < 3; ch++ {
						plane := tile[ch*n : (ch+1)*n]
						m, sd := meanStd(plane)
						if math.Abs(m) > 1e-4 || math.Abs(sd-1) > 0.2 {
							t.Fatalf("tile %d channel %d not normalised: mean %g std %g", slot, ch, m, sd)
						}
						bx, by, ncc := bestMatch(img, ch, plane, g.tile)
						if ncc < 0.999 {
							t.Fatalf("tile %d channel %d: best correlation %.3f", slot, ch, ncc)
						}
						cx, cy := (bx+g.tile/2)/g.cell, (by+g.tile/2)/g.cell
						if cy*g.grid+cx != perm[slot] {
							t.Fatalf("seed %d: slot %d found in cell %d, permutation %v says %d", s, slot, cy*g.grid+cx, perm, perm[slot])
						}
						pos[ch] = [2]int{bx, by}
					}
					if !c.shift {
						if pos[0] != pos[1] || pos[0] != pos[2] {
							t.Fatalf("without channel shift the channels come from %v", pos)
						}
						// The tile keeps a margin inside its cell (the gap).
						cx, cy := perm[slot]%g.grid, perm[slot]/g.grid
						slack := g.size - g.grid*g.cell
						for a, v := range [2]int{pos[0][0] - cx*g.cell, pos[0][1] - cy*g.cell} {
							if v < g.margin || v > g.cell-g.tile-g.margin+slack {
								t.Fatalf("tile %d axis %d at offset %d in its cell, want [%d, %d]", slot, a, v, g.margin, g.cell-g.tile-g.margin+slack)
							}
						}
					}
				}
			}
		})
	}
}

func TestJigsawGray(t *testing.T) {
	j := NewJigsaw(32, 2, 24, 1)
	j.GrayProb = 1
	j.ChannelShift = 0 // with shifts the channels are displaced copies of the gray
	x, y := sampleBuffers(j)
	n := j.TileSize() * j.TileSize()
	j.Make(noiseImage(32, 32, 1), newRNG(1), x, y)
	for i := 0; i < 4*n; i++ {
		slot, p := i/n, i%n
		r, g, b := x[slot*3*n+p], x[slot*3*n+n+p], x[slot*3*n+2*n+p]
		if r != g || r != b {
			t.Fatalf("gray puzzle: tile %d pixel %d has channels %g %g %g", slot, p, r, g, b)
		}
	}
}

func TestJigsawRender(t *testing.T) {
	j := NewJigsaw(64, 3, 100, 1)
	x, y := sampleBuffers(j)
	j.Make(blobImage(64, 64, 2), newRNG(3), x, y)
	out := j.Render(x, y, y)
	side := 3*(j.TileSize()+1) - 1
	if out.Width != 2*side+4 || out.Height != side {
		t.Fatalf("render %d×%d, want %d×%d", out.Width, out.Height, 2*side+4, side)
	}
	// In the reassembled panel, cell perm[slot] shows tile slot.
	n := j.TileSize() * j.TileSize()
	perm := j.Permutation(y[0])
	for slot, cell := range perm {
		want := DisplayTile(x[slot*3*n:(slot+1)*3*n], j.TileSize(), j.TileSize())
		got := out.Crop(side+4+(cell%3)*(j.TileSize()+1), (cell/3)*(j.TileSize()+1), j.TileSize(), j.TileSize())
		if !bytes.Equal(got.Pix, want.Pix) {
			t.Fatalf("reassembled cell %d does not show slot %d", cell, slot)
		}
	}
}
