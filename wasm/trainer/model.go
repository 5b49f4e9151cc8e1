package trainer

import (
	"bytes"
	"fmt"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Store keeps the autosaved run: the snapshot the UI shows and the models,
// keyed "pretrained" and "classifier" (safetensors bytes).
type Store interface {
	Save(snap protocol.Packet, models map[string][]byte) error
	// Load returns ok false if nothing is saved.
	Load() (snap protocol.Packet, models map[string][]byte, ok bool, err error)
	Clear() error
}

func modelBytes(m *nn.Model, info train.ModelInfo) ([]byte, error) {
	var b bytes.Buffer
	if err := train.SaveModel(&b, m, info); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// autosave writes the snapshot and models to the store and reports Saved.
func (s *Session) autosave() error {
	p, err := protocol.Encode(&s.snap)
	if err != nil {
		return err
	}
	models := map[string][]byte{}
	total := len(p.JSON)
	if s.pretrained != nil {
		b, err := modelBytes(s.pretrained, train.ModelInfo{Task: s.task})
		if err != nil {
			return fmt.Errorf("autosave: %w", err)
		}
		models["pretrained"] = b
		total += len(b)
	}
	if s.classifier != nil {
		b, err := modelBytes(s.classifier, train.ModelInfo{Task: s.task, Classes: s.classes})
		if err != nil {
			return fmt.Errorf("autosave: %w", err)
		}
		models["classifier"] = b
		total += len(b)
	}
	for _, b := range p.Buffers {
		total += len(b)
	}
	if err := s.env.Save(p, models); err != nil {
		return fmt.Errorf("autosave: %w", err)
	}
	s.env.Post(&protocol.Saved{Bytes: total})
	return nil
}

// restore answers Hello: Ready, then the saved run (if any) as a Snapshot.
// A run on the demo reloads the demo so it can go on training.
func (s *Session) restore() error {
	p, models, ok, err := s.env.Load()
	if err != nil || !ok {
		s.env.Post(&protocol.Ready{})
		if err != nil {
			return fmt.Errorf("reading the autosave: %w", err)
		}
		return nil
	}
	m, err := protocol.Decode(p)
	if err != nil {
		s.env.Post(&protocol.Ready{})
		return fmt.Errorf("reading the autosave: %w", err)
	}
	snap, ok := m.(*protocol.Snapshot)
	if !ok {
		s.env.Post(&protocol.Ready{})
		return fmt.Errorf("reading the autosave: found a %s, not a Snapshot", m.Kind())
	}
	s.snap = *snap
	s.task = snap.Task
	if b, ok := models["pretrained"]; ok {
		if s.pretrained, _, err = train.LoadModel("autosaved pretrained model", b); err != nil {
			return err
		}
	}
	if b, ok := models["classifier"]; ok {
		var info train.ModelInfo
		if s.classifier, info, err = train.LoadModel("autosaved classifier", b); err != nil {
			return err
		}
		s.classes = info.Classes
	}
	s.snap.Model = s.modelState()
	// Uploaded images are not kept between visits (the demo is refetched),
	// so the restored page shows no data rather than data it cannot train on.
	demo := snap.Data != nil && snap.Data.Source == "demo"
	if !demo {
		s.snap.Data = nil
	}
	s.env.Post(&protocol.Ready{Restored: true})
	out := s.snap
	s.env.Post(&out)
	if demo {
		return s.loadDemo()
	}
	return nil
}

// saveModel answers SaveModel with the current model's safetensors bytes.
func (s *Session) saveModel() error {
	m, info, kind := s.current()
	if m == nil {
		return fmt.Errorf("no model yet: pretrain first")
	}
	b, err := modelBytes(m, info)
	if err != nil {
		return err
	}
	name := "tessera-" + s.task + "-" + kind + ".safetensors"
	s.env.Post(&protocol.Model{Name: name, Data: b})
	return nil
}

// loadModel installs an uploaded model: a classifier (it has class names)
// can classify and its trunk can be fine-tuned again; a pretext model gives
// a pretrained trunk. The previous run's results are cleared.
func (s *Session) loadModel(name string, data []byte) error {
	if s.job != nil {
		return fmt.Errorf("stop training before loading a model")
	}
	m, info, err := train.LoadModel(name, data)
	if err != nil {
		return err
	}
	if info.Head.Kind == nn.Classifier && len(info.Classes) >= 2 {
		if len(info.Classes) != info.Head.Classes {
			return fmt.Errorf("%s: %d class names for a %d-class head", name, len(info.Classes), info.Head.Classes)
		}
		s.classifier, s.classes = m, info.Classes
	} else {
		s.classifier, s.classes = nil, nil
	}
	s.pretrained, s.task = m, info.Task
	s.resetInsight() // "before" becomes the default init of this model's architecture
	s.snap = protocol.Snapshot{Task: info.Task, Data: s.snap.Data, Model: s.modelState()}
	out := s.snap
	s.env.Post(&out)
	return s.autosave()
}

// classify answers Classify with the classifier's top 3.
func (s *Session) classify(m *ImageDecoded) error {
	if m.Err != nil {
		return fmt.Errorf("classify: %w", m.Err)
	}
	if s.classifier == nil {
		return fmt.Errorf("classify: no classifier yet: fine-tune first (or upload a classifier)")
	}
	probs := train.Predict(s.classifier, []*pretext.Image{m.Image})[0]
	out := &protocol.Classified{Name: m.Name, PNG: encodePNG(m.Image)}
	for _, r := range train.TopK(probs, 3) {
		out.Top = append(out.Top, protocol.Guess{Class: r.Class, P: float64(r.Probability)})
	}
	s.env.Post(out)
	return nil
}
