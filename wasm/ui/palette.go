package ui

import (
	"fmt"
	"math"
)

// classPalette is the classes' colours, class k taking classPalette[k]
// (Tableau 10 with its grey swapped for cyan, so that no class looks
// unlabeled); classes past it take hues a golden angle (137.5°) apart.
var classPalette = []string{
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#17becf",
}

// colorUnlabeled is the colour of images without a class.
const colorUnlabeled = "#adb5bd"

// ClassColor is the page's colour for class k (any negative k: unlabeled),
// the same on the feature map, its legend and the neighbours.
func ClassColor(k int) string {
	switch {
	case k < 0:
		return colorUnlabeled
	case k < len(classPalette):
		return classPalette[k]
	}
	hue := math.Mod(20+137.508*float64(k-len(classPalette)), 360)
	return fmt.Sprintf("hsl(%.0f, 60%%, 45%%)", hue)
}
