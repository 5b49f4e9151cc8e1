package trainer

import (
	"fmt"
	"path"
	"sort"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Thumbnails kept for the data panel.
const (
	thumbsUnlabeled = 16
	thumbsPerClass  = 4
)

// dataset is what the user loaded: the demo, or uploads.
type dataset struct {
	source    string // "demo" or "upload"
	classes   []string
	unlabeled []*pretext.Image
	labeled   imageio.Dataset // Images, Labels (Classes set when used)
	test      imageio.Dataset // explicit test images; empty means split the labeled ones
	errors    []protocol.FileError
	thumbs    []protocol.Thumb
	thumbOf   []*pretext.Image // the image of each thumbnail (for its Thumb.Pool)
}

// loaded describes the dataset for the UI.
func (d *dataset) loaded() *protocol.DataLoaded {
	per := make([]int, len(d.classes))
	for _, y := range d.labeled.Labels {
		per[y]++
	}
	index := map[*pretext.Image]int{}
	for i, img := range d.pool() {
		index[img] = i
	}
	for i, img := range d.thumbOf {
		d.thumbs[i].Pool = index[img]
	}
	return &protocol.DataLoaded{
		Source: d.source, Classes: d.classes,
		Unlabeled: d.unlabeledCount(), Labeled: d.labeled.Len(), Test: d.test.Len(),
		PerClass: per, FileErrors: d.errors, Thumbs: d.thumbs,
	}
}

// classIndex returns the label of a class name, adding the class if new.
func (d *dataset) classIndex(name string) int {
	for i, c := range d.classes {
		if c == name {
			return i
		}
	}
	d.classes = append(d.classes, name)
	return len(d.classes) - 1
}

// addThumb keeps a thumbnail of img if its class (-1: unlabeled) has room.
func (d *dataset) addThumb(img *pretext.Image, class int) {
	n := 0
	for _, t := range d.thumbs {
		if t.Class == class {
			n++
		}
	}
	limit := thumbsPerClass
	if class < 0 {
		limit = thumbsUnlabeled
	}
	if n < limit {
		d.thumbs = append(d.thumbs, protocol.Thumb{Class: class, PNG: encodePNG(img)})
		d.thumbOf = append(d.thumbOf, img)
	}
}

// loadDemo replaces the dataset with the bundled demo.
func (s *Session) loadDemo() error {
	set, err := s.env.FetchDemo()
	if err != nil {
		return fmt.Errorf("loading the demo: %w", err)
	}
	s.stopJob()
	d := dataset{source: "demo", classes: set.Classes}
	fit := func(imgs []*pretext.Image) []*pretext.Image {
		out := make([]*pretext.Image, len(imgs))
		for i, img := range imgs {
			if img.Width != ImageSize || img.Height != ImageSize {
				img = pretext.Resize(img, ImageSize, ImageSize)
			}
			out[i] = img
		}
		return out
	}
	d.unlabeled = fit(set.Unlabeled)
	d.labeled = imageio.Dataset{Images: fit(set.Labeled), Labels: set.LabeledY}
	d.test = imageio.Dataset{Images: fit(set.Test), Labels: set.TestY}
	for _, img := range d.unlabeled {
		d.addThumb(img, -1)
	}
	for i, img := range d.labeled.Images {
		d.addThumb(img, d.labeled.Labels[i])
	}
	s.data = d
	msg := d.loaded()
	s.snap.Data = msg
	s.env.Post(msg)
	return nil
}

// addImages adds decoded uploads to a split; failures are listed, the rest load.
func (s *Session) addImages(m *ImagesDecoded) {
	d := &s.data
	if d.source != "upload" {
		*d = dataset{source: "upload"}
	}
	for _, f := range m.Images {
		if f.Err != nil {
			d.errors = append(d.errors, protocol.FileError{Name: f.Name, Reason: f.Err.Error()})
			continue
		}
		if f.Image.Width != ImageSize || f.Image.Height != ImageSize {
			d.errors = append(d.errors, protocol.FileError{Name: f.Name,
				Reason: fmt.Sprintf("decoded to %d×%d, want %d×%d", f.Image.Width, f.Image.Height, ImageSize, ImageSize)})
			continue
		}
		switch m.Split {
		case protocol.SplitUnlabeled:
			d.unlabeled = append(d.unlabeled, f.Image)
			d.addThumb(f.Image, -1)
		case protocol.SplitLabeled, protocol.SplitTest:
			class := f.Class
			if class == "" {
				class = classFromPath(f.Name)
			}
			if class == "" {
				d.errors = append(d.errors, protocol.FileError{Name: f.Name,
					Reason: "not inside a class folder (pick a folder whose subfolders are the classes)"})
				continue
			}
			y := d.classIndex(class)
			if m.Split == protocol.SplitTest {
				d.test.Images = append(d.test.Images, f.Image)
				d.test.Labels = append(d.test.Labels, y)
			} else {
				d.labeled.Images = append(d.labeled.Images, f.Image)
				d.labeled.Labels = append(d.labeled.Labels, y)
				d.addThumb(f.Image, y)
			}
		default:
			d.errors = append(d.errors, protocol.FileError{Name: f.Name, Reason: fmt.Sprintf("unknown split %q", m.Split)})
		}
	}
	d.sortClasses()
	msg := d.loaded()
	s.snap.Data = msg
	s.env.Post(msg)
}

// sortClasses puts the class names in alphabetical order and relabels the
// images, so labels do not depend on the order files arrived in.
func (d *dataset) sortClasses() {
	order := make([]int, len(d.classes)) // order[new] = old
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return d.classes[order[a]] < d.classes[order[b]] })
	remap := make([]int, len(order)) // remap[old] = new
	names := make([]string, len(order))
	for n, o := range order {
		remap[o], names[n] = n, d.classes[o]
	}
	d.classes = names
	for _, ys := range [][]int{d.labeled.Labels, d.test.Labels} {
		for i, y := range ys {
			ys[i] = remap[y]
		}
	}
	for i, t := range d.thumbs {
		if t.Class >= 0 {
			d.thumbs[i].Class = remap[t.Class]
		}
	}
}

// classFromPath is the class of a file in an uploaded folder: the name of
// the directory holding it ("pets/cat/1.jpg" → "cat"), or "" at the top level
// of the picked folder ("pets/1.jpg") or for a bare name.
func classFromPath(name string) string {
	dir := path.Dir(name)
	if dir == "." || dir == "/" || path.Dir(dir) == "." {
		return ""
	}
	return path.Base(dir)
}

// pool is every image usable for pretraining: unlabeled and labeled (labels unused).
func (d *dataset) pool() []*pretext.Image {
	return append(d.unlabeledImages(), d.labeled.Images...)
}

// poolThumbs describes each pool image, in pool order, as a thumbnail
// without its picture: its class (-1 unlabeled), its index in the
// unlabeled list (ID, if unlabeled) and its pool index.
func (d *dataset) poolThumbs() []protocol.Thumb {
	out := make([]protocol.Thumb, 0, len(d.unlabeled)+d.labeled.Len())
	for id, img := range d.unlabeled {
		if img != nil {
			out = append(out, protocol.Thumb{Class: -1, ID: id, Pool: len(out)})
		}
	}
	for _, y := range d.labeled.Labels {
		out = append(out, protocol.Thumb{Class: y, Pool: len(out)})
	}
	return out
}

// unlabeledImages is the images still unlabeled.
func (d *dataset) unlabeledImages() []*pretext.Image {
	var p []*pretext.Image
	for _, img := range d.unlabeled {
		if img != nil {
			p = append(p, img)
		}
	}
	return p
}

// splits returns the downstream training and held-out sets: the explicit
// test images if any, else testPercent of the labeled images (stratified).
func (d *dataset) splits(testPercent int, seed uint64) (trainSet, testSet *imageio.Dataset, err error) {
	full := &imageio.Dataset{Images: d.labeled.Images, Labels: d.labeled.Labels, Classes: d.classes}
	if full.Len() == 0 {
		return nil, nil, fmt.Errorf("no labeled images: load the demo or upload a labeled folder first")
	}
	if len(d.classes) < 2 {
		return nil, nil, fmt.Errorf("need labeled images of at least 2 classes, have %d", len(d.classes))
	}
	if d.test.Len() > 0 {
		return full, &imageio.Dataset{Images: d.test.Images, Labels: d.test.Labels, Classes: d.classes}, nil
	}
	if testPercent <= 0 || testPercent >= 100 {
		return nil, nil, fmt.Errorf("test share %d%% must be between 1 and 99", testPercent)
	}
	f := float64(testPercent) / 100
	parts := train.Split(full, seed, 1-f, f)
	if parts[0].Len() == 0 || parts[1].Len() == 0 {
		return nil, nil, fmt.Errorf("%d labeled images are too few to hold out %d%% for testing", full.Len(), testPercent)
	}
	return parts[0], parts[1], nil
}
