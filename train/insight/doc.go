// Package insight shows what a trunk has learned, before a single label:
// the nearest neighbours of an image in feature space, a 2-D map of every
// image's features, and the first convolution's filters as pictures.
//
// Everything works on pooled features (one row per image, as
// train.Features computes them) or on a layer's weights, so it knows
// nothing of workers or pages:
//
//	feats := train.Features(trunk, images)   // (N, C)
//	unit := insight.Normalize(feats)          // rows of length 1
//	near := insight.Nearest(unit, q, 8)       // cosine top-8 of image q
//	m := insight.NewPCA(feats, 2)             // principal axes
//	xy := m.Project(feats)                    // (N, 2) map coordinates
//	tiles := insight.Filters(w, outC, 3, 3)   // filters as RGB images
package insight
