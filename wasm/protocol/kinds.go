package protocol

// The kinds list: every message kind, its Kind method, and the registry
// Decode uses. A new message adds one line to each of the three (insight.go
// keeps its Kind methods beside its types).

// Kinds of the messages, as they travel in Packet.Kind.
const (
	// UI → trainer
	KindHello          = "Hello"
	KindLoadDemo       = "LoadDemo"
	KindAddImages      = "AddImages"
	KindShowUnlabeled  = "ShowUnlabeled"
	KindLabelImages    = "LabelImages"
	KindClearData      = "ClearData"
	KindStartPretrain  = "StartPretrain"
	KindPause          = "Pause"
	KindResume         = "Resume"
	KindStop           = "Stop"
	KindStartFinetune  = "StartFinetune"
	KindClassify       = "Classify"
	KindSaveModel      = "SaveModel"
	KindLoadModel      = "LoadModel"
	KindReset          = "Reset"
	KindFailReplica    = "FailReplica"
	KindShowNeighbours = "ShowNeighbours"
	KindShowFeatureMap = "ShowFeatureMap"
	// trainer → UI
	KindReady         = "Ready"
	KindDataLoaded    = "DataLoaded"
	KindUnlabeledPage = "UnlabeledPage"
	KindProgress      = "Progress"
	KindExamples      = "Examples"
	KindResults       = "Results"
	KindClassified    = "Classified"
	KindModel         = "Model"
	KindSnapshot      = "Snapshot"
	KindModelState    = "ModelState"
	KindSaved         = "Saved"
	KindError         = "Error"
	KindNeighbours    = "Neighbours"
	KindFeatureMap    = "FeatureMap"
	KindFilters       = "Filters"
	// leader ↔ replica (replica.go)
	KindReplicaJob    = "ReplicaJob"
	KindReplicaIdle   = "ReplicaIdle"
	KindReplicaFailed = "ReplicaFailed"
)

func (Hello) Kind() string         { return KindHello }
func (LoadDemo) Kind() string      { return KindLoadDemo }
func (AddImages) Kind() string     { return KindAddImages }
func (ShowUnlabeled) Kind() string { return KindShowUnlabeled }
func (LabelImages) Kind() string   { return KindLabelImages }
func (ClearData) Kind() string     { return KindClearData }
func (StartPretrain) Kind() string { return KindStartPretrain }
func (Pause) Kind() string         { return KindPause }
func (Resume) Kind() string        { return KindResume }
func (Stop) Kind() string          { return KindStop }
func (StartFinetune) Kind() string { return KindStartFinetune }
func (Classify) Kind() string      { return KindClassify }
func (SaveModel) Kind() string     { return KindSaveModel }
func (LoadModel) Kind() string     { return KindLoadModel }
func (Reset) Kind() string         { return KindReset }
func (FailReplica) Kind() string   { return KindFailReplica }
func (Ready) Kind() string         { return KindReady }
func (DataLoaded) Kind() string    { return KindDataLoaded }
func (UnlabeledPage) Kind() string { return KindUnlabeledPage }
func (Progress) Kind() string      { return KindProgress }
func (Examples) Kind() string      { return KindExamples }
func (Results) Kind() string       { return KindResults }
func (Classified) Kind() string    { return KindClassified }
func (Model) Kind() string         { return KindModel }
func (Snapshot) Kind() string      { return KindSnapshot }
func (ModelState) Kind() string    { return KindModelState }
func (Saved) Kind() string         { return KindSaved }
func (Error) Kind() string         { return KindError }
func (ReplicaJob) Kind() string    { return KindReplicaJob }
func (ReplicaIdle) Kind() string   { return KindReplicaIdle }
func (ReplicaFailed) Kind() string { return KindReplicaFailed }

// registry maps each kind to a constructor of a zero message of that kind.
var registry = map[string]func() Msg{
	KindHello:          func() Msg { return new(Hello) },
	KindLoadDemo:       func() Msg { return new(LoadDemo) },
	KindAddImages:      func() Msg { return new(AddImages) },
	KindShowUnlabeled:  func() Msg { return new(ShowUnlabeled) },
	KindLabelImages:    func() Msg { return new(LabelImages) },
	KindClearData:      func() Msg { return new(ClearData) },
	KindStartPretrain:  func() Msg { return new(StartPretrain) },
	KindPause:          func() Msg { return new(Pause) },
	KindResume:         func() Msg { return new(Resume) },
	KindStop:           func() Msg { return new(Stop) },
	KindStartFinetune:  func() Msg { return new(StartFinetune) },
	KindClassify:       func() Msg { return new(Classify) },
	KindSaveModel:      func() Msg { return new(SaveModel) },
	KindLoadModel:      func() Msg { return new(LoadModel) },
	KindReset:          func() Msg { return new(Reset) },
	KindFailReplica:    func() Msg { return new(FailReplica) },
	KindReady:          func() Msg { return new(Ready) },
	KindDataLoaded:     func() Msg { return new(DataLoaded) },
	KindUnlabeledPage:  func() Msg { return new(UnlabeledPage) },
	KindProgress:       func() Msg { return new(Progress) },
	KindExamples:       func() Msg { return new(Examples) },
	KindResults:        func() Msg { return new(Results) },
	KindClassified:     func() Msg { return new(Classified) },
	KindModel:          func() Msg { return new(Model) },
	KindSnapshot:       func() Msg { return new(Snapshot) },
	KindModelState:     func() Msg { return new(ModelState) },
	KindSaved:          func() Msg { return new(Saved) },
	KindError:          func() Msg { return new(Error) },
	KindReplicaJob:     func() Msg { return new(ReplicaJob) },
	KindReplicaIdle:    func() Msg { return new(ReplicaIdle) },
	KindReplicaFailed:  func() Msg { return new(ReplicaFailed) },
	KindShowNeighbours: func() Msg { return new(ShowNeighbours) },
	KindShowFeatureMap: func() Msg { return new(ShowFeatureMap) },
	KindNeighbours:     func() Msg { return new(Neighbours) },
	KindFeatureMap:     func() Msg { return new(FeatureMap) },
	KindFilters:        func() Msg { return new(Filters) },
}
