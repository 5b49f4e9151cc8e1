package pretext

import (
	"fmt"
	"strings"
)

// ClassNamer is implemented by every task: a short human description of a
// class, for the UI to show a label or a prediction.
type ClassNamer interface {
	ClassName(k int) string
}

// ClassName describes rotation class k: "0°", "90°", "180°", "270°"
// (counter-clockwise).
func (r *Rotation) ClassName(k int) string { return fmt.Sprintf("%d°", RotationAngle(k)) }

// ClassName describes jigsaw class k by its permutation, e.g. "#7 (2 0 3 1)":
// slot i of the puzzle holds the tile of cell p[i].
func (j *Jigsaw) ClassName(k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d (", k)
	for i, v := range j.Set.Perms[k] {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprint(&b, v)
	}
	b.WriteByte(')')
	return b.String()
}

// ClassName describes colorization class k by its bin centre, e.g. "ab (20, −40)".
func (c *Colorization) ClassName(k int) string {
	a, b := c.BinCenter(k)
	return fmt.Sprintf("ab (%g, %g)", a, b)
}

var contextNames = [8]string{"top left", "top", "top right", "left", "right", "bottom left", "bottom", "bottom right"}

// ClassName describes context class k: where the second patch lies
// relative to the centre patch ("top left", "top", …, "bottom right").
func (c *Context) ClassName(k int) string { return contextNames[k] }
