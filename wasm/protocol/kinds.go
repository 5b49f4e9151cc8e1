package protocol

// Code below is one Kind method per message, and the registry Decode uses.

func (Hello) Kind() string         { return "Hello" }
func (LoadDemo) Kind() string      { return "LoadDemo" }
func (AddImages) Kind() string     { return "AddImages" }
func (ClearData) Kind() string     { return "ClearData" }
func (StartPretrain) Kind() string { return "StartPretrain" }
func (Pause) Kind() string         { return "Pause" }
func (Resume) Kind() string        { return "Resume" }
func (Stop) Kind() string          { return "Stop" }
func (StartFinetune) Kind() string { return "StartFinetune" }
func (Classify) Kind() string      { return "Classify" }
func (SaveModel) Kind() string     { return "SaveModel" }
func (LoadModel) Kind() string     { return "LoadModel" }
func (Reset) Kind() string         { return "Reset" }
func (Ready) Kind() string         { return "Ready" }
func (DataLoaded) Kind() string    { return "DataLoaded" }
func (Progress) Kind() string      { return "Progress" }
func (Examples) Kind() string      { return "Examples" }
func (Results) Kind() string       { return "Results" }
func (Classified) Kind() string    { return "Classified" }
func (Model) Kind() string         { return "Model" }
func (Snapshot) Kind() string      { return "Snapshot" }
func (Saved) Kind() string         { return "Saved" }
func (Error) Kind() string         { return "Error" }
func (ModelState) Kind() string    { return "ModelState" }
func (ShowUnlabeled) Kind() string { return "ShowUnlabeled" }
func (LabelImages) Kind() string   { return "LabelImages" }
func (UnlabeledPage) Kind() string { return "UnlabeledPage" }

// registry maps each kind to a constructor of a zero message of that kind.
var registry = map[string]func() Msg{
	"Hello":         func() Msg { return new(Hello) },
	"LoadDemo":      func() Msg { return new(LoadDemo) },
	"AddImages":     func() Msg { return new(AddImages) },
	"ClearData":     func() Msg { return new(ClearData) },
	"StartPretrain": func() Msg { return new(StartPretrain) },
	"Pause":         func() Msg { return new(Pause) },
	"Resume":        func() Msg { return new(Resume) },
	"Stop":          func() Msg { return new(Stop) },
	"StartFinetune": func() Msg { return new(StartFinetune) },
	"Classify":      func() Msg { return new(Classify) },
	"SaveModel":     func() Msg { return new(SaveModel) },
	"LoadModel":     func() Msg { return new(LoadModel) },
	"Reset":         func() Msg { return new(Reset) },
	"Ready":         func() Msg { return new(Ready) },
	"DataLoaded":    func() Msg { return new(DataLoaded) },
	"Progress":      func() Msg { return new(Progress) },
	"Examples":      func() Msg { return new(Examples) },
	"Results":       func() Msg { return new(Results) },
	"Classified":    func() Msg { return new(Classified) },
	"Model":         func() Msg { return new(Model) },
	"Snapshot":      func() Msg { return new(Snapshot) },
	"Saved":         func() Msg { return new(Saved) },
	"Error":         func() Msg { return new(Error) },
	"ModelState":    func() Msg { return new(ModelState) },
	"ShowUnlabeled": func() Msg { return new(ShowUnlabeled) },
	"LabelImages":   func() Msg { return new(LabelImages) },
	"UnlabeledPage": func() Msg { return new(UnlabeledPage) },
}
