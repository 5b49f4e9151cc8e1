package pretext

import (
	"fmt"
	"slices"
	"sync"
)

// Spec declares a pretext task to everything outside this package: the
// trainer builds it by name, puts the declared head on the trunk, and the
// CLI and the UI list it. Each task's file registers its Spec (Register, in
// an init function); its class names and captions are methods of the Task.
type Spec struct {
	Name  string // identifier in flags, messages and checkpoints; equals Task.Name()
	Label string // the UI's description, e.g. "Rotation — predict 0°, 90°, 180° or 270°"
	// Rank orders the tasks in every list (All, Names): lowest first. The
	// lowest is the default task.
	Rank int
	Head Head // what the network puts on the shared trunk
	// New builds the task for imageSize×imageSize working images and a trunk
	// whose feature map has one cell per cell×cell pixels of its input. It
	// is called with 16 ≤ imageSize ≤ 512 and cell ≥ 1, and returns an
	// error when the task cannot be made at that size.
	New func(imageSize, cell int) (Task, error)
}

// Head says what the network puts on the shared trunk for a task; package
// train turns it into an nn.HeadConfig (train/pretrain.go, headFor).
type Head int

const (
	// WholeImage: one tile and one target per sample; the trunk's feature
	// map is pooled and classified (rotation).
	WholeImage Head = iota
	// TileSet: Tiles() tiles per sample pass through the trunk one at a time;
	// their pooled features are concatenated and classified by a hidden layer
	// (jigsaw, relative position).
	TileSet
	// PerCell: one tile, one target per cell of the trunk's feature map
	// (Positions() = (TileSize()/cell)²), classified by 1×1 convolutions
	// (colorization).
	PerCell
)

var registry struct {
	sync.Mutex
	specs []Spec // sorted by Rank
}

// Register adds a task to the registry. It panics when the name or rank is
// taken, or the Spec is incomplete: registration happens at init, and a
// clash is a programming error.
func Register(s Spec) {
	if s.Name == "" || s.Label == "" || s.New == nil {
		panic(fmt.Sprintf("pretext: Register(%q): Name, Label and New are required", s.Name))
	}
	registry.Lock()
	defer registry.Unlock()
	for _, r := range registry.specs {
		if r.Name == s.Name || r.Rank == s.Rank {
			panic(fmt.Sprintf("pretext: Register(%q, rank %d): clashes with %q (rank %d)", s.Name, s.Rank, r.Name, r.Rank))
		}
	}
	specs := append(registry.specs, s)
	for i := len(specs) - 1; i > 0 && specs[i-1].Rank > specs[i].Rank; i-- { // keep them sorted by Rank
		specs[i-1], specs[i] = specs[i], specs[i-1]
	}
	registry.specs = specs
}

// All returns the registered tasks, ordered by Rank (the default first).
func All() []Spec {
	registry.Lock()
	defer registry.Unlock()
	return slices.Clone(registry.specs)
}

// Names returns the registered tasks' names, in All's order.
func Names() []string {
	var names []string
	for _, s := range All() {
		names = append(names, s.Name)
	}
	return names
}

// Default is the task offered first: the lowest Rank.
func Default() Spec { return All()[0] }

// Lookup returns the named task's Spec.
func Lookup(name string) (Spec, bool) {
	for _, s := range All() {
		if s.Name == name {
			return s, true
		}
	}
	return Spec{}, false
}

// New builds the named task for imageSize×imageSize working images
// (16 ≤ imageSize ≤ 512) and a trunk whose feature map has one cell per
// cell×cell input pixels. It is an error if the task's tiles are smaller
// than one cell.
func New(name string, imageSize, cell int) (Task, error) {
	s, ok := Lookup(name)
	switch {
	case !ok:
		return nil, fmt.Errorf("pretext: unknown task %q (want one of %v)", name, Names())
	case imageSize < 16 || imageSize > 512:
		return nil, fmt.Errorf("pretext: task %q: image size %d outside [16, 512]", name, imageSize)
	case cell < 1:
		return nil, fmt.Errorf("pretext: task %q: feature-map cell of %d px", name, cell)
	}
	t, err := s.New(imageSize, cell)
	if err != nil {
		return nil, err
	}
	if t.TileSize() < cell {
		return nil, fmt.Errorf("%s: its %d px tiles are smaller than the trunk's %d px cells; use fewer stages or larger images",
			name, t.TileSize(), cell)
	}
	return t, nil
}

// predictedCaption is the caption of a task with one target per sample:
// "predicted <class>, true <class>".
func predictedCaption(t Task, target, pred []int) string {
	return fmt.Sprintf("predicted %s, true %s", t.ClassName(pred[0]), t.ClassName(target[0]))
}
