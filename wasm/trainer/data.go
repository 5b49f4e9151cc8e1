package trainer

import (
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"

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
	// seen holds the content hash of every uploaded image, so that the same
	// picture uploaded twice (or in two splits) is added once; duplicates
	// counts the ones skipped.
	seen       map[[sha256.Size]byte]bool
	duplicates int
}

// Small labeled sets: below minPerClass labeled images a class's results
// are mostly noise, and the page says so.
const minPerClass = 5

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
		Duplicates: d.duplicates, Warnings: d.warnings(per),
	}
}

// warnings are what makes results on these labels weak: classes with fewer
// than minPerClass labeled images, and classes that no test image measures.
// per is the labeled images per class.
func (d *dataset) warnings(per []int) []string {
	var w []string
	perTest := make([]int, len(d.classes))
	for _, y := range d.test.Labels {
		perTest[y]++
	}
	for c, name := range d.classes {
		switch {
		case per[c] == 0 && perTest[c] > 0:
			w = append(w, fmt.Sprintf("class %s has test images but no labeled image to learn from", quote(name)))
		case d.test.Len() > 0 && perTest[c] == 0:
			w = append(w, fmt.Sprintf("class %s has no test image: its accuracy will not be measured", quote(name)))
		case d.test.Len() == 0 && per[c] == 1:
			w = append(w, fmt.Sprintf("class %s has 1 labeled image: none can be held out, so its accuracy will not be measured", quote(name)))
		}
		if per[c] > 0 && per[c] < minPerClass {
			w = append(w, fmt.Sprintf("class %s has only %d labeled %s: with fewer than %d per class the results are mostly chance",
				quote(name), per[c], plural(per[c], "image"), minPerClass))
		}
	}
	return w
}

// quote is a class name in a message: in curly quotes, its invisible and
// direction-changing characters (and nothing else) escaped, so that the
// message reads as written whatever the name holds.
func quote(name string) string { return "“" + protocol.VisibleName(name) + "”" }

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}

// isDuplicate tells whether img's content was already uploaded, and
// records it if not.
func (d *dataset) isDuplicate(img *pretext.Image) bool {
	if d.seen == nil {
		d.seen = map[[sha256.Size]byte]bool{}
	}
	h := sha256.Sum256(img.Pix)
	if d.seen[h] {
		d.duplicates++
		return true
	}
	d.seen[h] = true
	return false
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

// addImages adds decoded uploads to a split; failures are listed, the rest
// load. A labeled or test file's class is the first folder below the chosen
// one (imageio.ClassOf, the command line's rule): m.Root, the chosen folder's
// prefix of every name, is cut off first. A picture already loaded (same
// pixels) is skipped and counted as a duplicate.
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
		class := f.Class
		if m.Split != protocol.SplitUnlabeled && class == "" {
			var ok bool
			if class, ok = imageio.ClassOf(strings.TrimPrefix(f.Name, m.Root)); !ok {
				d.errors = append(d.errors, protocol.FileError{Name: f.Name, Reason: imageio.ErrNotInClass.Error()})
				continue
			}
		}
		if m.Split != protocol.SplitUnlabeled && m.Split != protocol.SplitLabeled && m.Split != protocol.SplitTest {
			d.errors = append(d.errors, protocol.FileError{Name: f.Name, Reason: fmt.Sprintf("unknown split %q", m.Split)})
			continue
		}
		if d.isDuplicate(f.Image) {
			continue
		}
		switch m.Split {
		case protocol.SplitUnlabeled:
			d.unlabeled = append(d.unlabeled, f.Image)
			d.addThumb(f.Image, -1)
		case protocol.SplitTest:
			y := d.classIndex(class)
			d.test.Images = append(d.test.Images, f.Image)
			d.test.Labels = append(d.test.Labels, y)
		case protocol.SplitLabeled:
			y := d.classIndex(class)
			d.labeled.Images = append(d.labeled.Images, f.Image)
			d.labeled.Labels = append(d.labeled.Labels, y)
			d.addThumb(f.Image, y)
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
// test images if any, else testPercent of the labeled images, stratified,
// every class keeping a training image (train.HoldOut).
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
	trainSet, testSet = train.HoldOut(full, seed, float64(testPercent)/100)
	if testSet.Len() == 0 {
		return nil, nil, fmt.Errorf("%d labeled images are too few to hold out %d%% for testing", full.Len(), testPercent)
	}
	return trainSet, testSet, nil
}
