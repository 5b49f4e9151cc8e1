package protocol

// Split names where images go.
const (
	SplitUnlabeled = "unlabeled"
	SplitLabeled   = "labeled"
	SplitTest      = "test"
)

// Phase names a training run; Progress and Curve say which one they describe.
const (
	PhasePretrain   = "pretrain"
	PhasePretrained = "pretrained" // downstream training of the pretrained trunk
	PhaseScratch    = "scratch"    // the same network trained from random weights
)

// Run states carried by Progress.
const (
	StateRunning = "running"
	StatePaused  = "paused"
	StateDone    = "done"
	StateStopped = "stopped"
)

// Downstream modes.
const (
	ModeFinetune = "finetune" // train trunk and head
	ModeProbe    = "linear"   // linear probe: freeze the trunk, train the head only
	// ModeSemi fine-tunes on the labels and on pseudo-labels the model gives
	// the unlabeled images it is confident about (train.SemiSupervised).
	ModeSemi = "semi"
)

// Modes lists the downstream modes, the default first.
var Modes = []string{ModeSemi, ModeFinetune, ModeProbe}

// ---- UI → worker -----------------------------------------------------------

// Hello is the UI's first message: the worker answers Ready, restoring the
// autosaved run from IndexedDB if there is one.
type Hello struct{}

// LoadDemo asks the worker to fetch and decode the bundled demo dataset.
type LoadDemo struct{}

// File is one image file picked or dropped by the user. Class is the
// subfolder name for labeled uploads ("" for unlabeled and test files
// without a folder). Data is the file's bytes.
type File struct {
	Name  string `json:"name"`
	Class string `json:"class,omitempty"`
	Data  []byte `json:"-"`
}

// AddImages adds files to a split; the worker decodes them, skips the ones
// it cannot use and answers DataLoaded.
type AddImages struct {
	Split string `json:"split"`
	Files []File `json:"files"`
	// Root is the chosen folder's prefix of every file name ("animals/" for
	// a picked or dropped folder animals, "" when the files or folders
	// themselves were dropped): a labeled or test file's class is the first
	// folder of its name after Root (imageio.ClassOf).
	Root string `json:"root,omitempty"`
}

// ShowUnlabeled asks for a page of unlabeled thumbnails to label by hand,
// starting at the Offset-th unlabeled image (answered by UnlabeledPage).
// Pages hold UnlabeledPageSize images.
type ShowUnlabeled struct {
	Offset int `json:"offset"`
}

// LabelImages moves unlabeled images (by Thumb.ID) into the labeled set
// under Class; the worker answers DataLoaded and a fresh UnlabeledPage
// from Offset.
type LabelImages struct {
	IDs    []int  `json:"ids"`
	Class  string `json:"class"`
	Offset int    `json:"offset"`
}

// ClearData forgets every loaded image and the run built on them.
type ClearData struct{}

// StartPretrain starts self-supervised pretraining on the unlabeled images
// (and the labeled ones, their labels unused).
type StartPretrain struct {
	Task    string `json:"task"`    // a name in pretext's registry (pretext.Names)
	Samples int    `json:"samples"` // the budget, in training samples
	// Minutes, when positive, is the budget instead of Samples: the worker
	// times a few steps and turns the minutes into samples at the speed it
	// measured (the Progress steps show the result).
	Minutes float64 `json:"minutes,omitempty"`
	LR      float64 `json:"lr"`
	Batch   int     `json:"batch"`
	Seed    uint64  `json:"seed"`
	// Workers is the number of trainer workers to train on, data-parallel
	// (0 or 1: one). The worker clamps it to [1, MaxWorkers] and to one
	// image per worker per batch, and uses one when the page is not
	// cross-origin isolated (no SharedArrayBuffer); Progress says how many
	// it uses. Any count gives the same model up to float rounding.
	Workers int `json:"workers,omitempty"`
}

// MaxWorkers bounds StartPretrain.Workers.
const MaxWorkers = 8

// Pause, Resume and Stop control the running phase.
type (
	Pause  struct{}
	Resume struct{}
	Stop   struct{}
)

// StartFinetune trains a fresh classifier on the labeled images twice: on
// the pretrained trunk (fine-tuned or frozen, per Mode) and from scratch.
// TestPercent of the labeled images are held out unless test images were given.
type StartFinetune struct {
	Mode        string  `json:"mode"`
	Epochs      int     `json:"epochs"`
	LR          float64 `json:"lr"`
	Batch       int     `json:"batch"`
	TestPercent int     `json:"testPercent"`
	Seed        uint64  `json:"seed"`
	// Workers is as in StartPretrain: both runs are sharded over the workers.
	Workers int `json:"workers,omitempty"`
}

// Classify asks for the fine-tuned model's top classes for one image file.
type Classify struct {
	File File `json:"file"`
}

// SaveModel asks for the current model as .safetensors bytes (answered by Model).
type SaveModel struct{}

// LoadModel replaces the current model with uploaded .safetensors bytes.
type LoadModel struct {
	Name string `json:"name"`
	Data []byte `json:"-"`
}

// Reset forgets the run, the model and the autosave.
type Reset struct{}

// ---- worker → UI -----------------------------------------------------------

// Ready answers Hello. Restored tells whether an autosaved run was found; if
// so a Snapshot follows.
type Ready struct {
	Restored bool `json:"restored"`
}

// FileError is one file that could not be used, and why.
type FileError struct {
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Thumb is a small PNG of one loaded image with its class (-1 if unlabeled).
// ID names an unlabeled image for LabelImages (in UnlabeledPage only); Pool
// is its index in the trainer's pool, for ShowNeighbours.
type Thumb struct {
	Class int    `json:"class"`
	ID    int    `json:"id,omitempty"`
	Pool  int    `json:"pool"`
	PNG   []byte `json:"-"`
}

// UnlabeledPageSize is how many thumbnails an UnlabeledPage holds at most.
const UnlabeledPageSize = 24

// UnlabeledPage is a page of unlabeled images to label by hand.
type UnlabeledPage struct {
	Offset int     `json:"offset"`
	Total  int     `json:"total"` // unlabeled images in all
	Items  []Thumb `json:"items"`
}

// DataLoaded describes the whole dataset after a change.
type DataLoaded struct {
	Source     string      `json:"source"` // "demo" or "upload"
	Classes    []string    `json:"classes"`
	Unlabeled  int         `json:"unlabeled"`
	Labeled    int         `json:"labeled"`
	Test       int         `json:"test"`
	PerClass   []int       `json:"perClass"` // labeled images per class
	FileErrors []FileError `json:"fileErrors"`
	Thumbs     []Thumb     `json:"thumbs"`
	// Duplicates counts uploaded files skipped because the same picture
	// was already loaded.
	Duplicates int `json:"duplicates,omitempty"`
	// Warnings say what makes results on these labels weak (too few images
	// in a class, a class without test images), one sentence each.
	Warnings []string `json:"warnings,omitempty"`
}

// Progress is the state of the running phase, sent at most a few times a second.
type Progress struct {
	Phase         string  `json:"phase"`
	State         string  `json:"state"`
	Step          int     `json:"step"`
	Steps         int     `json:"steps"`
	Loss          float64 `json:"loss"`     // mean over the steps since the last Progress
	Accuracy      float64 `json:"accuracy"` // fraction in [0, 1], same window
	TestAccuracy  float64 `json:"testAccuracy,omitempty"`
	SamplesPerSec float64 `json:"samplesPerSec"`
	ETASeconds    float64 `json:"etaSeconds"`
	// Workers is the number of trainer workers the phase runs on, data-parallel.
	Workers int `json:"workers,omitempty"`
	// PseudoLabeled is, in a semi-supervised phase, the recent share of
	// unlabeled images confident enough to train on.
	PseudoLabeled float64 `json:"pseudoLabeled,omitempty"`
	// KNNAccuracy is, in pretraining with labeled images, the label-free
	// monitor: the leave-one-out k-nearest-neighbour accuracy of the
	// labeled images in the current trunk's feature space (0: none yet).
	KNNAccuracy float64 `json:"knnAccuracy,omitempty"`
}

// Example is one rendered pretext sample with the model's answer.
type Example struct {
	Caption string `json:"caption"` // e.g. "predicted 90°, true 270°"
	Right   bool   `json:"right"`
	PNG     []byte `json:"-"`
}

// Examples is the live examples panel: current samples and predictions.
type Examples struct {
	Task  string    `json:"task"`
	Step  int       `json:"step"`
	Items []Example `json:"items"`
}

// Guess is one class with its probability.
type Guess struct {
	Class int     `json:"class"`
	P     float64 `json:"p"`
}

// Prediction is one test image with the fine-tuned model's top-3.
type Prediction struct {
	True int     `json:"true"`
	Top  []Guess `json:"top"`
	PNG  []byte  `json:"-"`
}

// Results are the held-out evaluation of both downstream runs.
type Results struct {
	Classes            []string     `json:"classes"`
	Mode               string       `json:"mode"`
	AccPretrained      float64      `json:"accPretrained"` // fraction in [0, 1]
	AccScratch         float64      `json:"accScratch"`
	PerClassPretrained []float64    `json:"perClassPretrained"`
	PerClassScratch    []float64    `json:"perClassScratch"`
	Confusion          [][]int      `json:"confusion"` // [true][predicted], pretrained model
	Predictions        []Prediction `json:"predictions"`
	// TestPerClass is how many held-out images each class has: the figures
	// rest on their sum, and a class with none has no accuracy.
	TestPerClass []int `json:"testPerClass"`
}

// Classified answers Classify.
type Classified struct {
	Name string  `json:"name"`
	Top  []Guess `json:"top"`
	PNG  []byte  `json:"-"`
}

// Model carries the current model as .safetensors bytes.
type Model struct {
	Name string `json:"name"`
	Data []byte `json:"-"`
}

// Point is one point of a training curve (History.Record makes them).
type Point struct {
	Step     int     `json:"step"`
	Loss     float64 `json:"loss"`
	Accuracy float64 `json:"accuracy"`
	// TestAccuracy is the held-out accuracy at this step (downstream phases,
	// at evaluation points only; -1 elsewhere).
	TestAccuracy float64 `json:"testAccuracy"`
	// KNN is the pretraining monitor's kNN accuracy at this step
	// (Progress.KNNAccuracy; -1 elsewhere).
	KNN float64 `json:"knn"`
}

// Curve is the history of one phase.
type Curve struct {
	Phase  string  `json:"phase"`
	Points []Point `json:"points"`
}

// Snapshot is the whole visible state of an autosaved run, sent after Ready
// when a reload restores it (so nothing is retrained).
type Snapshot struct {
	Task string      `json:"task"`
	Data *DataLoaded `json:"data,omitempty"`
	// History is the curves and the last Progress of each phase (its
	// fields are the Snapshot's in the JSON).
	History
	Examples *Examples   `json:"examples,omitempty"`
	Results  *Results    `json:"results,omitempty"`
	Model    *ModelState `json:"model,omitempty"`
}

// ModelState says which models the worker holds; it is sent on its own
// after each phase and inside a Snapshot.
type ModelState struct {
	Pretrained bool     `json:"pretrained"` // a trunk to fine-tune
	Classifier bool     `json:"classifier"` // a classifier for "classify your own image"
	Task       string   `json:"task"`       // pretext task the trunk learned from
	Classes    []string `json:"classes"`    // the classifier's classes
}

// Saved reports that the run was autosaved.
type Saved struct {
	Bytes int `json:"bytes"`
}

// Error reports a failure in the worker; the worker keeps running.
type Error struct {
	Message string `json:"message"`
}
