package ui

import (
	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// Bridge is the UI's link to the trainer worker.
type Bridge interface {
	// Send posts a message to the worker.
	Send(m protocol.Msg)
	// SendFiles posts the files of a FileList (from an <input type=file> or
	// a drop) as AddImages to split, or the first one as Classify when split
	// is "classify". It returns how many files it sent.
	SendFiles(split string, files app.Value) int
	// AttachDropZone makes the element with this id accept dropped files and
	// folders for split (folders are walked; their subfolders are classes
	// for the labeled split). Listeners are native so that preventDefault
	// runs during the event, which go-app's dispatched handlers cannot do.
	AttachDropZone(id, split string)
	// Download offers bytes to the user as a file.
	Download(name string, data []byte)
}

// recorder is the Bridge used outside the browser (tests, prerendering):
// it keeps what was sent.
type recorder struct {
	sent []protocol.Msg
}

func (r *recorder) Send(m protocol.Msg)                     { r.sent = append(r.sent, m) }
func (r *recorder) SendFiles(split string, _ app.Value) int { return 0 }
func (r *recorder) AttachDropZone(string, string)           {}
func (r *recorder) Download(string, []byte)                 {}
