package trainer

import (
	"errors"
	"fmt"
	"time"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// job is a training phase the session steps through.
type job interface {
	// step takes one training step; false when the budget is spent.
	step() bool
	// progress is the current state of each of the job's runs.
	progress() []protocol.Progress
	// tick runs after each progress report (the live examples panel).
	tick(s *Session)
	// finish publishes the job's results, done or stopped early.
	finish(s *Session) error
	// close releases what the job holds besides memory (replica workers);
	// the session calls it whenever a job ends, before finish.
	close()
}

// Panel sizes.
const (
	numExamples    = 8
	numPredictions = 24
	examplesEvery  = 2 * time.Second
	// evalSubset bounds the held-out images scored during downstream
	// training (the final evaluation uses all of them).
	evalSubset = 200
	evalPoints = 10 // held-out evaluations per downstream run
	// calibrateFor is how long a budget in minutes times pretraining steps
	// to learn this machine's speed.
	calibrateFor = 500 * time.Millisecond
)

func toProtocol(phase string, p train.Progress) protocol.Progress {
	return protocol.Progress{
		Phase: phase, Step: p.Step, Steps: p.Steps, Loss: p.Loss, Accuracy: p.Accuracy,
		SamplesPerSec: p.SamplesPerSec, ETASeconds: p.ETA.Seconds(), PseudoLabeled: p.PseudoLabeled,
	}
}

// ---- pretraining -------------------------------------------------------------

// pretrainJob runs one Pretrainer; with more than one worker it is replica 0
// of a data-parallel group (see parallel.go).
type pretrainJob struct {
	p            *train.Pretrainer
	env          Env
	group        ReplicaGroup // nil on one worker
	workers      int
	lastExamples time.Time
	monitor      *knnMonitor // nil without labeled images of 2 classes
}

func (s *Session) startPretrain(m *protocol.StartPretrain) error {
	if s.job != nil {
		return fmt.Errorf("a training phase is already running: stop it first")
	}
	pool := s.data.pool()
	if len(pool) == 0 {
		return fmt.Errorf("no images to pretrain on: load the demo or upload images first")
	}
	cfg := train.DefaultPretrain(m.Task, ImageSize)
	if m.Samples > 0 {
		cfg.Samples = m.Samples
	}
	if m.Batch > 0 {
		cfg.Batch = m.Batch
	}
	if m.LR > 0 {
		cfg.LR = m.LR
	}
	cfg.Seed = m.Seed
	p, err := train.NewPretrainer(cfg, pool)
	if err != nil {
		return err
	}
	k := workersFor(m.Workers, cfg, p.Task)
	if m.Minutes > 0 {
		cfg.Samples = samplesFor(m.Minutes, measureRate(p), k, cfg.Batch)
		if p, err = train.NewPretrainer(cfg, pool); err != nil {
			return err
		}
	}
	j := &pretrainJob{p: p, env: s.env, workers: 1, monitor: newKNNMonitor(&s.data.labeled, len(s.data.classes), p.Steps())}
	s.insight.before = p.Model.Trunk.Clone() // the "before" of the Insight views
	if k > 1 {
		g, err := s.env.Replicas(ReplicaJob{Config: cfg, Workers: k, Params: nn.ParamLen(p.Model.Params()), Fail: s.failReplica}, pool)
		if err != nil {
			s.env.Post(&protocol.Error{Message: fmt.Sprintf("pretraining runs on 1 worker, not %d: %v", k, err)})
		} else {
			p.Shard(0, k, g.Exchanger())
			j.group, j.workers = g, k
		}
	}
	s.job = j
	s.task = m.Task
	s.snap.Task = m.Task
	s.postProgress(protocol.StateRunning) // step 0: clears the old phases, examples and results
	return nil
}

// measureRate times a few steps of p on this worker and returns its
// throughput in samples/s; p is spent (a throwaway copy of the run).
func measureRate(p *train.Pretrainer) float64 {
	p.Step() // the first step allocates
	start, n := time.Now(), 0
	for (n < 2 || time.Since(start) < calibrateFor) && p.Step() {
		n++
	}
	return float64(n*p.Config.Batch) / max(time.Since(start).Seconds(), 1e-9)
}

// samplesFor turns a budget in minutes into pretext samples at rate
// samples/s on one worker, on k workers each adding 0.85 of a worker's
// speed (the default demo in Chromium on 2 cores pretrained at 1.9× the
// one-worker rate, experiments/demo), in whole batches.
func samplesFor(minutes, rate float64, k, batch int) int {
	speed := rate * (1 + 0.85*float64(k-1))
	n := int(minutes * 60 * speed)
	return max(batch, n/batch*batch)
}

// step takes one step; when the data-parallel group breaks, it reports the
// failed worker and goes on alone from the same step: the model and the
// optimizer are as before the failed step, and identical in every replica.
func (j *pretrainJob) step() bool {
	if j.p.Step() {
		return true
	}
	err := j.p.Err()
	if err == nil {
		return false // the budget is spent
	}
	if j.group == nil {
		panic(fmt.Sprintf("pretrain: exchange failed on a single worker: %v", err))
	}
	cause := j.group.Failure()
	j.close()
	j.workers = 1
	j.p.Shard(0, 1, nil)
	if cause == nil && errors.Is(err, ErrPreempted) {
		// A Stop (or Reset, or ClearData) is on its way: go on alone until
		// it is handled, without an error.
		return true
	}
	if cause == nil {
		cause = fmt.Errorf("data-parallel pretraining failed: %w", err)
	}
	j.env.Post(&protocol.Error{Message: fmt.Sprintf("%v; pretraining continues on 1 worker", cause)})
	return true
}

// close stops the replicas, if any (workers keeps the count the run used).
func (j *pretrainJob) close() {
	if j.group != nil {
		j.group.Stop()
		j.group = nil
	}
}

func (j *pretrainJob) progress() []protocol.Progress {
	p := toProtocol(protocol.PhasePretrain, j.p.Progress())
	p.Workers = j.workers
	p.KNNAccuracy = j.monitor.report()
	return []protocol.Progress{p}
}

func (j *pretrainJob) tick(s *Session) {
	if time.Since(j.lastExamples) >= examplesEvery {
		s.postExamples(j.p)
		j.lastExamples = time.Now()
	}
}

func (j *pretrainJob) finish(s *Session) error {
	s.postExamples(j.p)
	s.pretrained = j.p.Model
	s.classifier, s.classes = nil, nil
	s.snap.Model = s.modelState()
	s.env.Post(s.snap.Model)
	return s.autosave()
}

// postExamples renders the latest batch with the model's answers.
func (s *Session) postExamples(p *train.Pretrainer) {
	exs := p.Examples(numExamples)
	msg := &protocol.Examples{Task: p.Task.Name(), Step: p.Progress().Step}
	for _, e := range exs {
		msg.Items = append(msg.Items, protocol.Example{
			Caption: caption(p.Task, e), Right: e.Right, PNG: encodePNG(e.Picture),
		})
	}
	s.snap.Examples = msg
	s.env.Post(msg)
	if f := filtersOf(p.Model.Trunk, msg.Step); f != nil {
		s.env.Post(f)
	}
}

// ---- downstream --------------------------------------------------------------

// finetuneJob trains the pretrained trunk and a scratch copy side by side,
// one step each in turn, so both curves grow together; with more than one
// worker both are sharded over a group of replicas (downstream.go).
type finetuneJob struct {
	mode       string
	pre, scr   *train.Finetuner
	test       *imageio.Dataset
	evalSet    *imageio.Dataset
	evalEvery  int
	lastEvalAt int
	accPre     float64 // held-out accuracy at the latest evaluation, -1 if none pending
	accScr     float64
	env        Env
	group      ReplicaGroup // nil on one worker
	workers    int
}

// startFinetune starts downstream training, data-parallel on m.Workers
// workers when the host can run them.
func (s *Session) startFinetune(m *protocol.StartFinetune) error {
	if s.job != nil {
		return fmt.Errorf("a training phase is already running: stop it first")
	}
	if s.pretrained == nil {
		return fmt.Errorf("no pretrained trunk: pretrain first (or upload a model)")
	}
	mode := m.Mode
	if mode == "" {
		mode = protocol.ModeFinetune
	}
	trainSet, testSet, err := s.data.splits(m.TestPercent, m.Seed)
	if err != nil {
		return err
	}
	d := DownstreamJob{Pretrained: train.DefaultFinetune(mode), Scratch: train.DefaultFinetune(train.Scratch),
		Classes: trainSet.Classes, Labels: trainSet.Labels}
	for _, c := range []*train.FinetuneConfig{&d.Pretrained, &d.Scratch} {
		if m.Epochs > 0 {
			c.Epochs = m.Epochs
		}
		if m.Batch > 0 {
			c.Batch = m.Batch
		}
		if m.LR > 0 {
			c.LR = m.LR
		}
		c.Seed = m.Seed
	}
	// Semi-supervised training pseudo-labels the unlabeled images and the
	// labeled training images; never the held-out ones.
	pool := downstreamPool(s.data.unlabeledImages(), trainSet)
	pre, scr, err := newArms(d, s.pretrained.Trunk, pool)
	if err != nil {
		return err
	}
	eval := testSet
	if eval.Len() > evalSubset {
		idx := make([]int, evalSubset)
		for i := range idx {
			idx[i] = i * eval.Len() / evalSubset
		}
		eval = eval.Subset(idx)
	}
	j := &finetuneJob{mode: mode, pre: pre, scr: scr, test: testSet, evalSet: eval,
		evalEvery: max(1, pre.Steps()/evalPoints), accPre: -1, accScr: -1, env: s.env, workers: 1}
	if k := max(1, min(m.Workers, protocol.MaxWorkers, min(d.Pretrained.Batch, d.Scratch.Batch, trainSet.Len()))); k > 1 {
		if err := j.startGroup(s, d, pool, k); err != nil {
			s.env.Post(&protocol.Error{Message: fmt.Sprintf("downstream training runs on 1 worker, not %d: %v", k, err)})
		}
	}
	s.job = j
	s.postProgress(protocol.StateRunning) // step 0: clears the old downstream phases and results
	return nil
}

// startGroup starts replicas 1..k−1 and shards both arms over them.
func (j *finetuneJob) startGroup(s *Session, d DownstreamJob, pool []*pretext.Image, k int) error {
	trunk, err := encodeTrunk(s.pretrained)
	if err != nil {
		return err
	}
	d.Trunk = trunk
	g, err := s.env.Replicas(ReplicaJob{Downstream: &d, Workers: k, Params: nn.ParamLen(j.pre.Model.Params()),
		Fail: s.failReplica}, pool)
	if err != nil {
		return err
	}
	j.pre.Shard(0, k, g.Exchanger())
	j.scr.Shard(0, k, g.Exchanger())
	j.group, j.workers = g, k
	return nil
}

// step steps both arms; when the group breaks, both carry on alone from
// where they are (each is as before its failed step), as pretraining does.
func (j *finetuneJob) step() bool {
	a, b := j.pre.Step(), j.scr.Step()
	if j.group != nil && (j.pre.Err() != nil || j.scr.Err() != nil) {
		cause := j.group.Failure()
		err := j.pre.Err()
		if err == nil {
			err = j.scr.Err()
		}
		j.close()
		j.workers = 1
		j.pre.Shard(0, 1, nil)
		j.scr.Shard(0, 1, nil)
		if cause == nil && errors.Is(err, ErrPreempted) {
			return true
		}
		if cause == nil {
			cause = err
		}
		j.env.Post(&protocol.Error{Message: fmt.Sprintf("%v; downstream training continues on 1 worker", cause)})
		return true
	}
	step := j.pre.Progress().Step
	if (a || b) && step-j.lastEvalAt >= j.evalEvery {
		j.lastEvalAt = step
		j.accPre = train.Evaluate(j.pre.Classifier(), j.evalSet).Accuracy
		j.accScr = train.Evaluate(j.scr.Classifier(), j.evalSet).Accuracy
	}
	return a || b
}

func (j *finetuneJob) progress() []protocol.Progress {
	a := toProtocol(protocol.PhasePretrained, j.pre.Progress())
	b := toProtocol(protocol.PhaseScratch, j.scr.Progress())
	a.Workers, b.Workers = j.workers, j.workers
	if j.accPre >= 0 {
		a.TestAccuracy, b.TestAccuracy = j.accPre, j.accScr
		j.accPre, j.accScr = -1, -1
	}
	return []protocol.Progress{a, b}
}

func (j *finetuneJob) tick(*Session) {}

func (j *finetuneJob) close() {
	if j.group != nil {
		j.group.Stop()
		j.group = nil
	}
}

func (j *finetuneJob) finish(s *Session) error {
	classes := j.test.Classes
	probs := train.Predict(j.pre.Classifier(), j.test.Images)
	ePre := train.Score(probs, j.test.Labels, classes)
	eScr := train.Evaluate(j.scr.Classifier(), j.test)
	res := &protocol.Results{
		Classes: classes, Mode: j.mode,
		AccPretrained: ePre.Accuracy, AccScratch: eScr.Accuracy,
		PerClassPretrained: ePre.PerClass, PerClassScratch: eScr.PerClass,
		Confusion: ePre.Confusion, TestPerClass: make([]int, len(classes)),
	}
	for _, y := range j.test.Labels {
		res.TestPerClass[y]++
	}
	for i := range min(numPredictions, j.test.Len()) {
		p := protocol.Prediction{True: j.test.Labels[i], PNG: encodePNG(j.test.Images[i])}
		for _, r := range train.TopK(probs[i], 3) {
			p.Top = append(p.Top, protocol.Guess{Class: r.Class, P: float64(r.Probability)})
		}
		res.Predictions = append(res.Predictions, p)
	}
	s.classifier, s.classes = j.pre.Classifier(), classes
	s.snap.Results = res
	s.snap.Model = s.modelState()
	s.env.Post(res)
	s.env.Post(s.snap.Model)
	return s.autosave()
}

// ---- the model -----------------------------------------------------------------

// modelState describes the models the session holds.
func (s *Session) modelState() *protocol.ModelState {
	return &protocol.ModelState{Pretrained: s.pretrained != nil, Classifier: s.classifier != nil,
		Task: s.task, Classes: s.classes}
}

// current is the model to download: the classifier if there is one.
func (s *Session) current() (*nn.Model, train.ModelInfo, string) {
	if s.classifier != nil {
		return s.classifier, train.ModelInfo{Classes: s.classes, Task: s.task}, "classifier"
	}
	return s.pretrained, train.ModelInfo{Task: s.task}, "pretrained"
}
