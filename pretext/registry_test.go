package pretext

import (
	"slices"
	"strings"
	"testing"
)

func TestRegistryOrder(t *testing.T) {
	if got, want := Names(), []string{"rotation", "jigsaw", "colorization", "context"}; !slices.Equal(got, want) {
		t.Errorf("Names() = %v, want %v", got, want)
	}
	if d := Default(); d.Name != "rotation" {
		t.Errorf("Default() = %q, want rotation", d.Name)
	}
	if _, ok := Lookup("telepathy"); ok {
		t.Error("Lookup found an unregistered task")
	}
}

// Every registered task builds under its own name, with the shape its head
// declares, at every size it may be asked for.
func TestRegistrySpecs(t *testing.T) {
	labels := map[string]bool{}
	for _, s := range All() {
		if s.Label == "" || labels[s.Label] {
			t.Errorf("%s: label %q empty or repeated", s.Name, s.Label)
		}
		labels[s.Label] = true
		if got, ok := Lookup(s.Name); !ok || got.Rank != s.Rank {
			t.Errorf("Lookup(%q) = %+v, %v", s.Name, got, ok)
		}
		for _, size := range []int{16, 32, 64, 96} {
			for _, cell := range []int{2, 4, 8} {
				task, err := New(s.Name, size, cell)
				if err != nil {
					t.Fatalf("%s at %d px, cell %d: %v", s.Name, size, cell, err)
				}
				if task.Name() != s.Name {
					t.Errorf("%s: built a task named %q", s.Name, task.Name())
				}
				tiles, positions := task.Tiles(), task.Positions()
				var ok bool
				switch s.Head {
				case WholeImage:
					ok = tiles == 1 && positions == 1
				case TileSet:
					ok = tiles > 1 && positions == 1
				case PerCell:
					g := task.TileSize() / cell
					ok = tiles == 1 && positions == g*g
				}
				if !ok {
					t.Errorf("%s at %d px, cell %d: head %d but %d tiles of %d px, %d positions",
						s.Name, size, cell, s.Head, tiles, task.TileSize(), positions)
				}
			}
		}
	}
}

func TestRegisterClash(t *testing.T) {
	rot, _ := Lookup("rotation")
	for _, c := range []struct {
		name string
		spec Spec
	}{
		{"same name", Spec{Name: "rotation", Label: "again", Rank: 99, New: rot.New}},
		{"same rank", Spec{Name: "again", Label: "again", Rank: rot.Rank, New: rot.New}},
		{"no constructor", Spec{Name: "again", Label: "again", Rank: 99}},
	} {
		t.Run(c.name, func(t *testing.T) {
			defer func() {
				if r := recover(); r == nil || !strings.Contains(r.(string), "pretext: Register") {
					t.Errorf("Register: panic %v", r)
				}
			}()
			Register(c.spec)
		})
	}
	if len(All()) != 4 {
		t.Errorf("a refused Register changed the registry: %v", Names())
	}
}
