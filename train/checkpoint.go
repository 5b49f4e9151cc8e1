package train

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"

	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
)

// ModelInfo is what a model file says about itself, stored as JSON in the
// safetensors header's __metadata__ so that a file alone rebuilds its model.
type ModelInfo struct {
	Format    string          `json:"format"` // "tessera/1"
	Trunk     nn.TrunkConfig  `json:"trunk"`
	Head      nn.HeadConfig   `json:"head"`
	ImageSize int             `json:"imageSize,omitempty"` // side of the images it was trained on
	Classes   []string        `json:"classes,omitempty"`   // a classifier's class names, by label
	Task      string          `json:"task,omitempty"`      // pretext task the trunk learned from
	Mode      string          `json:"mode,omitempty"`      // downstream mode: finetune, linear or scratch
	Extra     json.RawMessage `json:"extra,omitempty"`     // a pretraining checkpoint's state
}

const modelFormat = "tessera/1"

// optimPrefix starts the names of optimizer state tensors in a checkpoint.
const optimPrefix = "optim."

// SaveModel writes m as safetensors: PyTorch-style names and layouts
// ("trunk.conv1.weight" OIHW, "head.fc2.weight" (out, in)), with info in
// the metadata under "tessera". Trunk and Head are taken from m.
func SaveModel(w io.Writer, m *nn.Model, info ModelInfo) error {
	return writeModel(w, m, info, m.Tensors())
}

func writeModel(w io.Writer, m *nn.Model, info ModelInfo, tensors []nn.NamedTensor) error {
	info.Format = modelFormat
	info.Trunk, info.Head = m.Trunk.Config, m.Head.Config
	meta, err := json.Marshal(info)
	if err != nil {
		return err
	}
	return nn.WriteSafetensors(w, tensors, map[string]string{"tessera": string(meta)})
}

// LoadModel rebuilds a model from a file written by SaveModel (or a
// pretraining checkpoint, whose optimizer state it ignores). name is used
// in error messages (the file's name).
func LoadModel(name string, data []byte) (*nn.Model, ModelInfo, error) {
	m, info, _, err := loadModel(name, data)
	return m, info, err
}

// loadModel is LoadModel that also returns the optimizer state tensors.
func loadModel(name string, data []byte) (*nn.Model, ModelInfo, []nn.Buffer, error) {
	var info ModelInfo
	tensors, meta, err := nn.ReadSafetensors(data)
	if err != nil {
		return nil, info, nil, fmt.Errorf("%s: %w", name, err)
	}
	raw, ok := meta["tessera"]
	if !ok {
		return nil, info, nil, fmt.Errorf("%s: not a Tessera model (no \"tessera\" entry in the safetensors metadata)", name)
	}
	if err := json.Unmarshal([]byte(raw), &info); err != nil {
		return nil, info, nil, fmt.Errorf("%s: model description: %w", name, err)
	}
	if info.Format != modelFormat {
		return nil, info, nil, fmt.Errorf("%s: model format %q, this version reads %q", name, info.Format, modelFormat)
	}
	if err := info.Trunk.Validate(); err != nil {
		return nil, info, nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := validHead(info.Head); err != nil {
		return nil, info, nil, fmt.Errorf("%s: %w", name, err)
	}
	if info.ImageSize < 0 || info.ImageSize > 4096 {
		return nil, info, nil, fmt.Errorf("%s: image size %d out of range", name, info.ImageSize)
	}
	if len(info.Classes) > 0 && info.Head.Kind == nn.Classifier && len(info.Classes) != info.Head.Classes {
		return nil, info, nil, fmt.Errorf("%s: %d class names for a head of %d classes", name, len(info.Classes), info.Head.Classes)
	}
	if need := info.Trunk.ParamCount() + headParamCount(info.Head, info.Trunk.Channels()); 4*need > len(data) {
		return nil, info, nil, fmt.Errorf("%s: the description needs %d values but the file has only %d bytes (different architecture, or a truncated file?)", name, need, len(data))
	}
	var optim []nn.Buffer
	for k, t := range tensors {
		if strings.HasPrefix(k, optimPrefix) {
			optim = append(optim, nn.Buffer{Name: t.Name, Shape: t.Shape, Value: t.Data})
			delete(tensors, k)
		}
	}
	rng := rand.New(rand.NewPCG(0, 0))
	trunk := nn.NewTrunk(info.Trunk, rng)
	m := &nn.Model{Trunk: trunk, Head: nn.NewHead(info.Head, info.Trunk.Channels(), rng)}
	if err := nn.LoadInto(tensors, m.Tensors()); err != nil {
		return nil, info, nil, fmt.Errorf("%s: %w", name, err)
	}
	return m, info, optim, nil
}

func validHead(h nn.HeadConfig) error {
	switch h.Kind {
	case nn.Classifier, nn.TileSet, nn.PerCell:
	default:
		return fmt.Errorf("unknown head kind %q", h.Kind)
	}
	if h.Classes < 1 || h.Classes > 100_000 || h.Hidden < 0 || h.Hidden > 65_536 ||
		h.Tiles < 0 || h.Tiles > 64 || h.FlattenCells < 0 || h.FlattenCells > 65_536 {
		return fmt.Errorf("head description out of range: %+v", h)
	}
	if h.Kind == nn.TileSet && h.Tiles < 1 {
		return fmt.Errorf("tile-set head with %d tiles", h.Tiles)
	}
	return nil
}

// headParamCount is the number of scalars a head holds, computed without
// building it.
func headParamCount(h nn.HeadConfig, channels int) int {
	in := channels
	switch h.Kind {
	case nn.Classifier:
		if h.FlattenCells > 0 {
			in = channels * h.FlattenCells
		}
	case nn.TileSet:
		in = channels * h.Tiles
	}
	n := 0
	if h.Hidden > 0 {
		n += in*h.Hidden + h.Hidden
		in = h.Hidden
	}
	return n + in*h.Classes + h.Classes
}

// pretrainState is a pretraining checkpoint's ModelInfo.Extra.
type pretrainState struct {
	Config PretrainConfig `json:"config"`
	Step   int            `json:"step"`
	Pool   int            `json:"pool"` // number of images in the pool
}

// SaveCheckpoint writes the run so that ResumePretrainer can continue it:
// the model (a valid model file for LoadModel), the optimizer state as
// "optim.*" tensors, and the config and step count in the metadata. The
// random streams are re-derived from (Seed, step), so the resumed run takes
// exactly the steps the uninterrupted run would have.
func (p *Pretrainer) SaveCheckpoint(w io.Writer) error {
	extra, err := json.Marshal(pretrainState{Config: p.Config, Step: p.step, Pool: len(p.pool)})
	if err != nil {
		return err
	}
	tensors := p.Model.Tensors()
	if p.step > 0 {
		for _, b := range p.opt.State() {
			tensors = append(tensors, nn.NamedTensor{Name: b.Name, Shape: b.Shape, Data: b.Value})
		}
	}
	return writeModel(w, p.Model, p.Info(extra), tensors)
}

// Info describes the pretrained model for SaveModel (extra may be nil).
func (p *Pretrainer) Info(extra json.RawMessage) ModelInfo {
	return ModelInfo{Task: p.Config.Task, ImageSize: p.Config.ImageSize, Extra: extra}
}

// ResumePretrainer continues the run saved in a checkpoint (data, read from
// the file name) on the same pool of images.
func ResumePretrainer(name string, data []byte, pool []*pretext.Image) (*Pretrainer, error) {
	m, info, optim, err := loadModel(name, data)
	if err != nil {
		return nil, err
	}
	var st pretrainState
	if len(info.Extra) == 0 {
		return nil, fmt.Errorf("%s: a model, not a pretraining checkpoint (no training state)", name)
	}
	if err := json.Unmarshal(info.Extra, &st); err != nil {
		return nil, fmt.Errorf("%s: training state: %w", name, err)
	}
	if st.Pool != len(pool) {
		return nil, fmt.Errorf("%s: the run used a pool of %d images, this pool has %d", name, st.Pool, len(pool))
	}
	p, err := NewPretrainer(st.Config, pool)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if st.Step < 0 || st.Step > p.steps {
		return nil, fmt.Errorf("%s: step %d outside the run's %d steps", name, st.Step, p.steps)
	}
	if m.Trunk.Config.ParamCount() != p.Model.Trunk.Config.ParamCount() || m.Head.Config != p.Model.Head.Config {
		return nil, fmt.Errorf("%s: the saved model does not match its training configuration", name)
	}
	tensors := make(map[string]nn.NamedTensor)
	for _, t := range m.Tensors() {
		tensors[t.Name] = t
	}
	if err := nn.LoadInto(tensors, p.Model.Tensors()); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if st.Step > 0 {
		if err := p.opt.LoadState(p.Model.Params(), optim); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	p.step = st.Step
	p.meter.offset = st.Step * p.images * p.Task.SamplesPerImage()
	return p, nil
}
