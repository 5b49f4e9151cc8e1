package pretext

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// sampleBuffers returns x and y sized for one Make of t.
func sampleBuffers(t Task) ([]float32, []int) {
	s := t.SamplesPerImage()
	return make([]float32, s*t.Tiles()*3*t.TileSize()*t.TileSize()), make([]int, s*t.Positions())
}

func TestTasksGeneric(t *testing.T) {
	for _, size := range []int{16, 32, 64, 96} {
		for _, name := range Names() {
			t.Run(fmt.Sprintf("%s/%d", name, size), func(t *testing.T) {
				task, err := New(name, size, testCell)
				if err != nil {
					t.Fatal(err)
				}
				if task.Name() != name {
					t.Errorf("Name() = %q", task.Name())
				}
				if task.TileSize() < 12 {
					t.Errorf("tile size %d < 12", task.TileSize())
				}
				// Any image size works: square, landscape, portrait, small.
				for i, img := range []*Image{blobImage(size, size, 1), blobImage(3*size/2, size, 2), blobImage(size/2+3, size, 3)} {
					x1, y1 := sampleBuffers(task)
					x2, y2 := sampleBuffers(task)
					task.Make(img, newRNG(uint64(i)), x1, y1)
					task.Make(img, newRNG(uint64(i)), x2, y2)
					if !slices.Equal(x1, x2) || !slices.Equal(y1, y2) {
						t.Fatalf("image %d: same seed, different samples", i)
					}
					for _, v := range y1 {
						if v < 0 || v >= task.Classes() {
							t.Fatalf("label %d outside [0, %d)", v, task.Classes())
						}
					}
					for _, v := range x1 {
						if v != v || v > 1e3 || v < -1e3 {
							t.Fatalf("input value %g", v)
						}
					}
					per := task.Tiles() * 3 * task.TileSize() * task.TileSize()
					img := task.Render(x1[:per], y1[:task.Positions()], y1[:task.Positions()])
					if img == nil || img.Width < task.TileSize() || img.Height < task.TileSize() {
						t.Fatalf("Render returned %v", img)
					}
				}
				// A landscape image is cropped at a random place, so every
				// task's sample depends on the seed.
				x1, y1 := sampleBuffers(task)
				x2, y2 := sampleBuffers(task)
				task.Make(blobImage(2*size, size, 1), newRNG(1), x1, y1)
				task.Make(blobImage(2*size, size, 1), newRNG(2), x2, y2)
				if slices.Equal(x1, x2) {
					t.Error("different seeds give identical inputs")
				}
			})
		}
	}
}

func TestNewErrors(t *testing.T) {
	for _, c := range []struct {
		name       string
		size, cell int
		want       string
	}{
		{"sudoku", 32, 8, `unknown task "sudoku"`},
		{"", 32, 8, "unknown task"},
		{"rotation", 8, 8, "outside [16, 512]"},
		{"jigsaw", 4096, 8, "outside [16, 512]"},
		{"rotation", 32, 0, "cell"},
		{"jigsaw", 32, 16, "12 px tiles are smaller than the trunk's 16 px cells"},
		{"colorization", 32, 64, "too small for a trunk that reduces by 64"},
	} {
		if _, err := New(c.name, c.size, c.cell); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%q, %d, %d): error %v, want one containing %q", c.name, c.size, c.cell, err, c.want)
		}
	}
}

// TestLabelsUniform: over many samples the labels of jigsaw and context are
// uniform (Pearson's χ² below the 0.1% critical value for its degrees of
// freedom); rotation has every angle exactly once per image.
func TestLabelsUniform(t *testing.T) {
	// χ² critical values at p = 0.001.
	crit := map[int]float64{7: 24.32, 23: 49.73}
	img := blobImage(32, 32, 4)
	for _, task := range []Task{NewJigsaw(32, 2, 24, 1), NewContext(32)} {
		rng := newRNG(5)
		x, y := sampleBuffers(task)
		counts := make([]int, task.Classes())
		const perClass = 60
		n := perClass * task.Classes()
		for i := 0; i < n; i++ {
			task.Make(img, rng, x, y)
			counts[y[0]]++
		}
		chi := 0.0
		for _, c := range counts {
			d := float64(c - perClass)
			chi += d * d / perClass
		}
		if chi > crit[task.Classes()-1] {
			t.Errorf("%s: χ² = %.1f over %d classes, counts %v", task.Name(), chi, task.Classes(), counts)
		}
	}
	r := NewRotation(32)
	x, y := sampleBuffers(r)
	r.Make(img, newRNG(6), x, y)
	if !slices.Equal(y, []int{0, 1, 2, 3}) {
		t.Errorf("rotation labels %v, want one of each", y)
	}
}

func TestClassNames(t *testing.T) {
	for _, name := range Names() {
		task, _ := New(name, 64, testCell)
		seen := map[string]bool{}
		for k := 0; k < task.Classes(); k++ {
			s := task.ClassName(k)
			if s == "" || seen[s] {
				t.Fatalf("%s: class %d has name %q (empty or repeated)", name, k, s)
			}
			seen[s] = true
		}
	}
	for k := 0; k < 8; k++ {
		dx, dy := contextOffset(k)
		name := NewContext(32).ClassName(k)
		if (dy < 0) != strings.HasPrefix(name, "top") || (dx < 0) != strings.HasSuffix(name, "left") {
			t.Errorf("class %d: offset (%d, %d) named %q", k, dx, dy, name)
		}
	}
}

// Every task's caption, right and wrong, in its one spelling.
func TestCaptions(t *testing.T) {
	for _, c := range []struct {
		task         Task
		target, pred []int
		want         string
	}{
		{NewRotation(32), []int{0}, []int{1}, "predicted 90°, true 0°"},
		{NewRotation(32), []int{3}, []int{3}, "predicted 270°, true 270°"},
		{NewContext(32), []int{1}, []int{0}, "predicted top left, true top"},
		{NewContext(32), []int{7}, []int{7}, "predicted bottom right, true bottom right"},
		{NewJigsaw(32, 2, 24, 1), []int{7}, []int{7}, "tiles put back in order (permutation #7)"},
		{NewJigsaw(32, 2, 24, 1), []int{7}, []int{3}, "wrong order: predicted permutation #3, true #7"},
		{NewColorization(32, 2), []int{1, 2, 3, 4}, []int{1, 2, 0, 4}, "3 of 4 cells' colours right"},
	} {
		if got := c.task.Caption(c.target, c.pred); got != c.want {
			t.Errorf("%s: Caption(%v, %v) = %q, want %q", c.task.Name(), c.target, c.pred, got, c.want)
		}
	}
}
