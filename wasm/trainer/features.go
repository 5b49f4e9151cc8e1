package trainer

import (
	"slices"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/train/insight"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// featureChunk is how many images one chunk of feature extraction covers
// when no job runs (during a job, one of its batches: chunkFor).
const featureChunk = 64

// features is the pooled trunk features (train.Features) of images under
// one fixed copy of a trunk, filled a chunk at a time so the session can
// interleave it with training steps. Rows are keyed by image, so a pool
// that grows, shrinks or reorders (labeling by hand) keeps the rows it
// still holds and computes only the new images.
type features struct {
	key   any       // what trunk the rows belong to (see Session.afterKey)
	trunk *nn.Trunk // a copy: the source trunk may train on meanwhile
	rows  map[*pretext.Image][]float32
	// The latest unit: the rows of unitOf, normalised; and their class
	// agreement when agreed (see agreement).
	unitOf []*pretext.Image
	units  [][]float32
	agree  float64
	agreed bool
}

func newFeatures(key any, trunk *nn.Trunk) *features {
	return &features{key: key, trunk: trunk.Clone(), rows: map[*pretext.Image][]float32{}}
}

// missing is the images of imgs without a row, up to n of them.
func (f *features) missing(imgs []*pretext.Image, n int) []*pretext.Image {
	var out []*pretext.Image
	for _, img := range imgs {
		if len(out) == n {
			break
		}
		if _, ok := f.rows[img]; !ok {
			out = append(out, img)
		}
	}
	return out
}

// complete reports whether every image of imgs has a row.
func (f *features) complete(imgs []*pretext.Image) bool { return len(f.missing(imgs, 1)) == 0 }

// fill computes the rows of up to n missing images of imgs; false when
// none was missing (nothing done).
func (f *features) fill(imgs []*pretext.Image, n int) bool {
	todo := f.missing(imgs, n)
	if len(todo) == 0 {
		return false
	}
	for i, row := range train.Features(f.trunk, todo) {
		f.rows[todo[i]] = row
	}
	return true
}

// of returns the rows of imgs in order (all must be complete) and drops
// the rows of images no longer asked for.
func (f *features) of(imgs []*pretext.Image) [][]float32 {
	out := make([][]float32, len(imgs))
	for i, img := range imgs {
		out[i] = f.rows[img]
	}
	if len(f.rows) > len(imgs) {
		keep := make(map[*pretext.Image][]float32, len(imgs))
		for i, img := range imgs {
			keep[img] = out[i]
		}
		f.rows = keep
	}
	return out
}

// unit returns the rows of imgs scaled to length 1 (insight.Normalize),
// kept for the next call on the same images: a click's search then costs
// the search alone.
func (f *features) unit(imgs []*pretext.Image) [][]float32 {
	if !slices.Equal(f.unitOf, imgs) {
		f.units, f.unitOf = insight.Normalize(f.of(imgs)), slices.Clone(imgs)
		f.agreed = false
	}
	return f.units
}

// agreementK is the k of the neighbours' class agreement.
const agreementK = protocol.NeighbourCount

// agreement is insight.ClassAgreement of the labeled images of imgs
// (labels[i] ≥ 0) among themselves, k = agreementK: the share of each
// labeled image's nearest labeled neighbours that carry its class. It is
// kept with the unit rows; -1 with fewer than 2 labeled images.
func (f *features) agreement(imgs []*pretext.Image, labels []int) float64 {
	unit := f.unit(imgs)
	if !f.agreed {
		n := 0
		for _, l := range labels {
			if l >= 0 {
				n++
			}
		}
		f.agree = -1
		if n >= 2 {
			f.agree = insight.ClassAgreement(unit, labels, min(agreementK, n-1))
		}
		f.agreed = true
	}
	return f.agree
}
