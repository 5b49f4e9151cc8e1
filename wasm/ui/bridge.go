package ui

import (
	"strings"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Bridge is the UI's link to the trainer worker.
type Bridge interface {
	// Send posts a message to the worker.
	Send(m protocol.Msg)
	// SendFiles posts the files of a FileList (from an <input type=file>)
	// as AddImages to split, or the first one as Classify when split is
	// SplitClassify. It returns how many files it sent.
	SendFiles(split string, files app.Value) int
	// AttachDropZone makes the element with this id accept dropped files and
	// folders for split (folders are walked; their subfolders are classes
	// for the labeled split), sent as SendFiles sends picked ones; after
	// each drop it calls sent with the number of files sent, on a goroutine
	// of its own (use ctx.Dispatch from there), as a pick's handler does
	// with SendFiles's count. Listeners are native so that preventDefault
	// runs during the event, which go-app's dispatched handlers cannot do.
	AttachDropZone(id, split string, sent func(n int))
	// Download offers bytes to the user as a file.
	Download(name string, data []byte)
}

// uploadRoot is AddImages.Root for files named by their path within an
// upload: the first folder of the names when one folder was chosen (picked,
// or dropped alone) and every name is inside it, else "" (the dropped
// files and folders are the upload's top level).
func uploadRoot(names []string, oneFolder bool) string {
	if !oneFolder || len(names) == 0 {
		return ""
	}
	first, _, ok := strings.Cut(names[0], "/")
	if !ok {
		return ""
	}
	for _, n := range names {
		if !strings.HasPrefix(n, first+"/") {
			return ""
		}
	}
	return first + "/"
}

// SplitClassify is the pseudo-split of SendFiles that classifies an image.
const SplitClassify = "classify"

// recorder is the Bridge used outside the browser (tests, prerendering):
// it keeps what was sent.
type recorder struct {
	sent []protocol.Msg
}

func (r *recorder) Send(m protocol.Msg)                      { r.sent = append(r.sent, m) }
func (r *recorder) SendFiles(split string, _ app.Value) int  { return 0 }
func (r *recorder) AttachDropZone(string, string, func(int)) {}
func (r *recorder) Download(string, []byte)                  {}
