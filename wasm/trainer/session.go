// Package trainer is the trainer worker's logic in plain Go: it holds the
// dataset, runs pretraining and downstream training a chunk of steps at a
// time, answers the UI's protocol messages and autosaves the run (its
// Snapshot, whose curves it records by protocol.History's rules, as the
// UI does). It has no syscall/js: package wasm/worker (run by the browser
// binary in a Web Worker) supplies an Env that posts messages, fetches the
// demo, reaches IndexedDB, starts data-parallel replicas, and decodes
// image files before they reach the session. Natively, tests drive it
// with a fake Env.
package trainer

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// ImageSize is the side, in pixels, of every image the worker trains on:
// uploads are center-cropped and resized to it, as the demo's images are.
const ImageSize = 32

// Env is what the session needs from its host.
type Env interface {
	// Post sends a message to the UI.
	Post(protocol.Msg)
	// FetchDemo loads the bundled demo dataset.
	FetchDemo() (*imageio.DemoSet, error)
	// Store persists the run between page loads.
	Store
	// Replicas starts replicas 1..job.Workers−1 of a data-parallel
	// pretraining of job.Config on pool (job.Index is ignored); the caller
	// is replica 0. An error means the host cannot run more than one
	// worker now (why, in words for the user).
	Replicas(job ReplicaJob, pool []*pretext.Image) (ReplicaGroup, error)
}

// Timing of the run loop: a chunk of training steps lasts about Chunk, then
// the loop yields (Yield) so the host's event loop can deliver messages;
// progress goes out at most every ProgressEvery.
type Timing struct {
	Chunk, ProgressEvery time.Duration
	Yield                func()
}

// DefaultTiming suits the browser: ~5 progress messages a second.
func DefaultTiming() Timing {
	return Timing{Chunk: 50 * time.Millisecond, ProgressEvery: 200 * time.Millisecond,
		Yield: func() { time.Sleep(time.Millisecond) }}
}

// Session is one worker's state. All methods run on the goroutine of Run.
type Session struct {
	env    Env
	timing Timing

	data dataset

	job    job // the running phase, nil when idle
	paused bool

	task       string    // pretext task of the pretrained trunk
	pretrained *nn.Model // after pretraining: trunk + pretext head
	classifier *nn.Model // after fine-tuning: trunk + classifier head
	classes    []string  // classifier's class names
	snap       protocol.Snapshot
	insight    insightState // the Insight views' features and requests
	// warm is set after every message handled while idle: there may be
	// Insight features to compute ahead of a request (warmWork).
	warm bool

	// failReplica is the FailReplica test hook for the replicas of later
	// data-parallel runs.
	failReplica protocol.FailReplica
}

// New returns a session that talks through env.
func New(env Env, timing Timing) *Session {
	return &Session{env: env, timing: timing}
}

// Run handles messages from inbox and runs training in between, until ctx
// ends or inbox closes. A panic inside a handler or a training step is
// recovered and reported as an Error; the session goes on.
func (s *Session) Run(ctx context.Context, inbox <-chan protocol.Msg) {
	lastProgress := time.Now()
	for ctx.Err() == nil {
		if s.job == nil || s.paused {
			if len(s.insight.pending) > 0 || s.warm {
				// Features to compute (for a request, or ahead of one): a
				// chunk at a time, messages in between.
				select {
				case m, ok := <-inbox:
					if !ok {
						return
					}
					s.safely(func() { s.Handle(m) })
				default:
					did := false
					s.safely(func() { did = s.background(featureChunk) || s.warmWork(featureChunk) })
					if !did {
						s.warm = false
					}
					if s.timing.Yield != nil {
						s.timing.Yield()
					}
				}
				continue
			}
			select {
			case m, ok := <-inbox:
				if !ok {
					return
				}
				s.safely(func() { s.Handle(m) })
				s.warm = true
			case <-ctx.Done():
				return
			}
			continue
		}
		// Running: drain pending messages, train for a chunk, yield.
	drain:
		for {
			select {
			case m, ok := <-inbox:
				if !ok {
					return
				}
				s.safely(func() { s.Handle(m) })
			default:
				break drain
			}
		}
		if s.job == nil || s.paused {
			continue
		}
		s.safely(func() {
			start := time.Now()
			for time.Since(start) < s.timing.Chunk {
				if !s.job.step() {
					s.finishJob(protocol.StateDone)
					return
				}
			}
			if time.Since(lastProgress) >= s.timing.ProgressEvery {
				s.postProgress(protocol.StateRunning)
				s.job.tick(s)
				lastProgress = time.Now()
			}
			// Between steps: one chunk of the Insight views' features or
			// of the kNN monitor, about a step's worth at most.
			s.background(chunkFor(s.job))
		})
		if s.timing.Yield != nil {
			s.timing.Yield()
		}
	}
}

// safely runs f, turning a panic into an Error message and abandoning the
// running job (its state may be inconsistent), which the UI then sees stopped.
func (s *Session) safely(f func()) {
	defer func() {
		if r := recover(); r != nil {
			j := s.job
			s.job, s.paused = nil, false
			s.env.Post(&protocol.Error{Message: fmt.Sprintf("trainer: internal error: %v\n%s", r, debug.Stack())})
			if j != nil {
				closeJob(j)
				s.postAbandoned(j)
			}
		}
	}()
	f()
}

// postAbandoned reports a broken job's phases as stopped, if it can still
// say where it was.
func (s *Session) postAbandoned(j job) {
	defer func() { _ = recover() }()
	for _, p := range j.progress() {
		p.State = protocol.StateStopped
		s.env.Post(&p)
	}
}

// Handle applies one message.
func (s *Session) Handle(m protocol.Msg) {
	var err error
	switch m := m.(type) {
	case *protocol.Hello:
		err = s.restore()
	case *protocol.LoadDemo:
		err = s.loadDemo()
	case *ImagesDecoded:
		s.addImages(m)
	case *protocol.ShowUnlabeled:
		s.env.Post(s.data.unlabeledPage(m.Offset))
	case *protocol.LabelImages:
		if err = s.labelImages(m); err == nil {
			s.env.Post(s.data.unlabeledPage(m.Offset))
		}
	case *protocol.ClearData:
		s.stopJob()
		s.data = dataset{}
		s.snap.Data = nil
		s.env.Post(s.data.loaded())
	case *protocol.StartPretrain:
		err = s.startPretrain(m)
	case *protocol.StartFinetune:
		err = s.startFinetune(m)
	case *protocol.Pause:
		if s.job != nil && !s.paused {
			s.paused = true
			s.postProgress(protocol.StatePaused)
		}
	case *protocol.Resume:
		if s.job != nil && s.paused {
			s.paused = false
			s.postProgress(protocol.StateRunning)
		}
	case *protocol.Stop:
		if s.job != nil {
			s.finishJob(protocol.StateStopped)
		}
	case *ImageDecoded:
		err = s.classify(m)
	case *protocol.SaveModel:
		err = s.saveModel()
	case *protocol.LoadModel:
		err = s.loadModel(m.Name, m.Data)
	case *protocol.ShowNeighbours, *protocol.ShowFeatureMap:
		err = s.showInsight(m)
	case *protocol.FailReplica:
		s.failReplica = *m
	case *protocol.Reset:
		s.stopJob()
		s.pretrained, s.classifier, s.classes, s.task = nil, nil, nil, ""
		s.resetInsight()
		s.snap = protocol.Snapshot{Data: s.snap.Data}
		err = s.env.Clear()
	default:
		err = fmt.Errorf("trainer: unexpected message %s", m.Kind())
	}
	if err != nil {
		s.env.Post(&protocol.Error{Message: err.Error()})
	}
}

// stopJob abandons the running job without results.
func (s *Session) stopJob() {
	if s.job != nil {
		s.job.close()
	}
	s.job, s.paused = nil, false
}

// closeJob closes a broken job, whose close may panic too.
func closeJob(j job) {
	defer func() { _ = recover() }()
	j.close()
}

// finishJob ends the running job (done or stopped early) and publishes its results.
func (s *Session) finishJob(state string) {
	j := s.job
	s.job, s.paused = nil, false
	j.close()
	s.postProgressOf(j, state)
	if err := j.finish(s); err != nil {
		s.env.Post(&protocol.Error{Message: err.Error()})
	}
}

func (s *Session) postProgress(state string) { s.postProgressOf(s.job, state) }

// postProgressOf posts each phase's progress and records it in the
// snapshot's history, by the rules the UI's charts follow (the first
// Progress of a run clears the phases it makes stale).
func (s *Session) postProgressOf(j job, state string) {
	for _, p := range j.progress() {
		p.State = state
		s.env.Post(&p)
		s.snap.Record(p)
	}
}

// ImagesDecoded is the worker-internal form of AddImages: the host decodes
// the files (in the browser with createImageBitmap) before the session sees them.
type ImagesDecoded struct {
	Split  string
	Root   string // AddImages.Root
	Images []Decoded
}

// Decoded is one file's outcome: an ImageSize×ImageSize image, or why not.
type Decoded struct {
	Name, Class string
	Image       *pretext.Image
	Err         error
}

// ImageDecoded is the worker-internal form of Classify.
type ImageDecoded struct{ Decoded }

func (ImagesDecoded) Kind() string { return "ImagesDecoded" }
func (ImageDecoded) Kind() string  { return "ImageDecoded" }
