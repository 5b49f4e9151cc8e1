package trainer

import (
	"fmt"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/train/insight"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// insightState answers the Insight views (ShowNeighbours, ShowFeatureMap)
// from the pool's features under two trunks: "before", the random
// initialisation the latest pretraining started from, and "after", the
// pretrained trunk (the current one while pretraining runs). Features are
// computed a chunk at a time in the session's background work
// (Session.background): between training steps while a job runs, back to
// back when idle. A request waits in pending until both sets cover the
// whole pool.
type insightState struct {
	// before is the random initialisation of the latest pretraining; nil
	// until one starts (then defaultBefore builds one).
	before          *nn.Trunk
	beforeF, afterF *features
	pending         []protocol.Msg
}

// afterKey names a state of the after trunk: its model and, while
// pretraining trains it, the steps it has taken (-1 once it is fixed).
type afterKey struct {
	model *nn.Model
	step  int
}

// afterTrunk is the trunk the "after" views show, its key and its pretext
// task; nil when there is no pretrained trunk.
func (s *Session) afterTrunk() (*nn.Trunk, afterKey, string) {
	if j, ok := s.job.(*pretrainJob); ok {
		return j.p.Model.Trunk, afterKey{j.p.Model, j.p.StepsDone()}, j.p.Task.Name()
	}
	if s.pretrained != nil {
		return s.pretrained.Trunk, afterKey{s.pretrained, -1}, s.task
	}
	return nil, afterKey{}, ""
}

// beforeTrunk is the "before" trunk: the latest pretraining's
// initialisation, or, when none ran in this session, the one a pretraining
// with the default seed would start from (of the pretrained trunk's
// architecture, if there is one).
func (s *Session) beforeTrunk(pool []*pretext.Image) (*nn.Trunk, error) {
	if s.insight.before != nil {
		return s.insight.before, nil
	}
	cfg := train.DefaultPretrain("rotation", ImageSize)
	if t, _, _ := s.afterTrunk(); t != nil {
		cfg.Trunk = t.Config
	}
	p, err := train.NewPretrainer(cfg, pool)
	if err != nil {
		return nil, fmt.Errorf("the random-init trunk: %w", err)
	}
	s.insight.before = p.Model.Trunk
	return s.insight.before, nil
}

// resetInsight forgets the trunks and features (the models changed) and
// prepares the pending requests again for the new ones.
func (s *Session) resetInsight() {
	pending := s.insight.pending
	s.insight = insightState{}
	for _, m := range pending {
		if err := s.showInsight(m); err != nil {
			s.env.Post(&protocol.Error{Message: err.Error()})
		}
	}
}

// showInsight queues a ShowNeighbours or ShowFeatureMap, after bringing the
// feature sets up to date, and answers it at once if they are complete.
func (s *Session) showInsight(m protocol.Msg) error {
	pool := s.data.pool()
	if len(pool) == 0 {
		return fmt.Errorf("no images to show: load the demo or upload images first")
	}
	if q, ok := m.(*protocol.ShowNeighbours); ok && (q.Pool < 0 || q.Pool >= len(pool)) {
		return fmt.Errorf("neighbours of image %d: the pool holds images 0 to %d", q.Pool, len(pool)-1)
	}
	if err := s.currentFeatures(pool); err != nil {
		return err
	}
	s.insight.pending = append(s.insight.pending, m)
	s.insightWork(0)
	return nil
}

// currentFeatures makes the two feature sets those of the current trunks,
// keeping what is already computed for them.
func (s *Session) currentFeatures(pool []*pretext.Image) error {
	b, err := s.beforeTrunk(pool)
	if err != nil {
		return err
	}
	in := &s.insight
	if in.beforeF == nil || in.beforeF.key != b {
		in.beforeF = newFeatures(b, b)
	}
	if t, key, _ := s.afterTrunk(); t == nil {
		in.afterF = nil
	} else if in.afterF == nil || in.afterF.key != key && (in.afterF.key.(afterKey).model != key.model || in.afterF.complete(pool)) {
		// A set under way for an earlier step of the same run is finished
		// first, so requests made faster than features are computed are
		// still answered.
		in.afterF = newFeatures(key, t)
	}
	return nil
}

// insightWork computes up to chunk missing features (before first), or,
// when both sets are complete, answers the pending requests. It reports
// whether it did anything.
func (s *Session) insightWork(chunk int) bool {
	in := &s.insight
	if len(in.pending) == 0 {
		return false
	}
	pool := s.data.pool()
	if chunk > 0 && in.beforeF != nil && in.beforeF.fill(pool, chunk) {
		return true
	}
	if chunk > 0 && in.afterF != nil && in.afterF.fill(pool, chunk) {
		return true
	}
	if (in.beforeF != nil && !in.beforeF.complete(pool)) || (in.afterF != nil && !in.afterF.complete(pool)) {
		return false // chunk 0: only answer what is ready
	}
	pending := in.pending
	in.pending = nil
	for _, m := range pending {
		var out protocol.Msg
		var err error
		switch m := m.(type) {
		case *protocol.ShowNeighbours:
			out, err = s.neighbours(m.Pool, pool)
		case *protocol.ShowFeatureMap:
			out, err = s.featureMap(pool)
		}
		if err != nil {
			out = &protocol.Error{Message: err.Error()}
		}
		s.env.Post(out)
	}
	return true
}

// warmWork computes up to chunk features of the current trunks ahead of
// any request, while the session is idle, so that the first click on an
// image is answered at once (the demo's 13,000 images take seconds per
// trunk). It reports whether it did anything; false means both sets are
// complete (or there is nothing to show).
func (s *Session) warmWork(chunk int) bool {
	pool := s.data.pool()
	if len(pool) == 0 {
		return false
	}
	if s.currentFeatures(pool) != nil {
		return false
	}
	in := &s.insight
	if in.beforeF.fill(pool, chunk) {
		return true
	}
	return in.afterF != nil && in.afterF.fill(pool, chunk)
}

// rowsOf is the features of pool under f, nil for no set.
func rowsOf(f *features, pool []*pretext.Image) [][]float32 {
	if f == nil {
		return nil
	}
	return f.of(pool)
}

// unitsOf is rowsOf normalised to length 1, nil for no set.
func unitsOf(f *features, pool []*pretext.Image) [][]float32 {
	if f == nil {
		return nil
	}
	return f.unit(pool)
}

// neighbours answers ShowNeighbours for pool image q: its
// protocol.NeighbourCount nearest images by cosine similarity under each
// trunk (insight.Nearest), the query excluded.
func (s *Session) neighbours(q int, pool []*pretext.Image) (*protocol.Neighbours, error) {
	if q < 0 || q >= len(pool) {
		return nil, fmt.Errorf("neighbours of image %d: the pool holds images 0 to %d", q, len(pool)-1)
	}
	thumbs := s.data.poolThumbs()
	query := thumbs[q]
	query.PNG = encodePNG(pool[q])
	_, _, task := s.afterTrunk()
	out := &protocol.Neighbours{Query: query, Before: []protocol.Neighbour{}, After: []protocol.Neighbour{}}
	near := func(unit [][]float32) []protocol.Neighbour {
		list := []protocol.Neighbour{}
		if unit == nil {
			return list
		}
		for _, n := range insight.Nearest(unit, q, protocol.NeighbourCount) {
			list = append(list, protocol.Neighbour{Pool: n.Index, Class: thumbs[n.Index].Class,
				Similarity: float64(n.Similarity), PNG: encodePNG(pool[n.Index])})
		}
		return list
	}
	labels := make([]int, len(thumbs))
	for i, t := range thumbs {
		labels[i] = t.Class
	}
	out.Before = near(unitsOf(s.insight.beforeF, pool))
	out.AgreementBefore, out.AgreementAfter = s.insight.beforeF.agreement(pool, labels), -1
	if s.insight.afterF != nil {
		out.Task = task
		out.After = near(unitsOf(s.insight.afterF, pool))
		out.AgreementAfter = s.insight.afterF.agreement(pool, labels)
	}
	return out, nil
}

// featureMap answers ShowFeatureMap: every pool image's features on the
// first two principal axes of each trunk's features (insight.NewPCA).
func (s *Session) featureMap(pool []*pretext.Image) (*protocol.FeatureMap, error) {
	if len(pool) < 2 {
		return nil, fmt.Errorf("a feature map needs at least 2 images, have %d", len(pool))
	}
	thumbs := s.data.poolThumbs()
	_, _, task := s.afterTrunk()
	out := &protocol.FeatureMap{Classes: s.data.classes, Before: []protocol.MapPoint{}, After: []protocol.MapPoint{}}
	project := func(rows [][]float32) ([]protocol.MapPoint, [2]float64) {
		pca := insight.NewPCA(rows, 2)
		pts := make([]protocol.MapPoint, len(rows))
		for i, xy := range pca.Project(rows) {
			pts[i] = protocol.MapPoint{X: xy[0], Y: xy[1], Class: thumbs[i].Class, Pool: i}
		}
		return pts, [2]float64{pca.Explained[0], pca.Explained[1]}
	}
	out.Before, out.ExplainedBefore = project(rowsOf(s.insight.beforeF, pool))
	if s.insight.afterF != nil {
		out.Task = task
		out.After, out.ExplainedAfter = project(rowsOf(s.insight.afterF, pool))
	}
	return out, nil
}

// background does one chunk of the work done between training steps (or
// while idle): the Insight views' features first (a person is waiting),
// then the running pretraining's kNN monitor. It reports whether it did
// anything.
func (s *Session) background(chunk int) bool {
	defer func() {
		if r := recover(); r != nil {
			s.insight = insightState{before: s.insight.before} // do not retry what broke
			panic(r)
		}
	}()
	if s.insightWork(chunk) {
		return true
	}
	if j, ok := s.job.(*pretrainJob); ok && !s.paused && j.monitor != nil {
		return j.monitor.work(j.p.Model.Trunk, j.p.StepsDone(), chunk)
	}
	return false
}

// chunkFor is how many images a chunk of background work covers: at most
// one of the running job's batches, so a chunk costs at most about one
// training step (a forward pass only, on as many images as a step trains on).
func chunkFor(j job) int {
	switch j := j.(type) {
	case *pretrainJob:
		return max(1, min(featureChunk, j.p.Config.Batch))
	case *finetuneJob:
		return max(1, min(featureChunk, j.pre.Config.Batch))
	}
	return featureChunk
}
