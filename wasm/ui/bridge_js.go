//go:build js

package ui

import (
	"strings"
	"syscall/js"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/jsutil"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// WorkerURL is the trainer worker's script.
const WorkerURL = "/web/worker.js"

// workerBridge talks to the trainer worker.
type workerBridge struct {
	worker js.Value
	funcs  []js.Func
	in     chan protocol.Msg
	send   func(protocol.Msg)
}

// NewBridge starts the trainer worker; receive gets each of its messages,
// in order, on a goroutine of its own (use ctx.Dispatch from there).
func NewBridge(receive func(protocol.Msg)) Bridge {
	b := &workerBridge{worker: js.Global().Get("Worker").New(WorkerURL), in: make(chan protocol.Msg, 1024)}
	go func() {
		for m := range b.in {
			receive(m)
		}
	}()
	// Never block inside a JS callback: queue and return.
	deliver := func(m protocol.Msg) {
		select {
		case b.in <- m:
		default:
			go func() { b.in <- m }()
		}
	}
	onMessage := js.FuncOf(func(_ js.Value, args []js.Value) any {
		p, _, err := protocol.FromJS(args[0].Get("data"), true)
		if err != nil {
			deliver(&protocol.Error{Message: err.Error()})
			return nil
		}
		m, err := protocol.Decode(p)
		if err != nil {
			deliver(&protocol.Error{Message: err.Error()})
			return nil
		}
		deliver(m)
		return nil
	})
	onError := js.FuncOf(func(_ js.Value, args []js.Value) any {
		msg := "the trainer worker failed"
		if m := args[0].Get("message"); m.Type() == js.TypeString && m.String() != "" {
			msg += ": " + m.String()
		}
		args[0].Call("preventDefault")
		deliver(&protocol.Error{Message: msg})
		return nil
	})
	test := js.FuncOf(b.sendTest)
	js.Global().Set("tesseraSend", test)
	b.funcs = append(b.funcs, onMessage, onError, test)
	b.worker.Call("addEventListener", "message", onMessage)
	b.worker.Call("addEventListener", "messageerror", onError)
	b.worker.Call("addEventListener", "error", onError)
	return b
}

func (b *workerBridge) Send(m protocol.Msg) {
	p, err := protocol.Encode(m)
	if err != nil {
		panic(err) // our own types always encode
	}
	obj, transfer := protocol.ToJS(p)
	b.worker.Call("postMessage", obj, transfer)
}

// sendTest is window.tesseraSend(kind, json): it sends the message of that
// kind and JSON (no buffers) to the trainer through the codec, and returns
// an error message or "". The browser tests send test hooks with it
// (protocol.FailReplica); no control of the page uses it.
func (b *workerBridge) sendTest(_ js.Value, args []js.Value) any {
	if len(args) < 2 {
		return "tesseraSend(kind, json)"
	}
	m, err := protocol.Decode(protocol.Packet{Kind: args[0].String(), JSON: []byte(args[1].String())})
	if err != nil {
		return err.Error()
	}
	b.Send(m)
	return ""
}

// postFiles sends AddImages (or Classify, for SplitClassify: the first
// file) with the files as Blobs: the worker reads them; nothing is copied
// on the main thread. It returns how many files it sent.
func (b *workerBridge) postFiles(split string, files []js.Value, names []string, root string) int {
	if len(files) == 0 {
		return 0
	}
	var msg protocol.Msg
	if split == SplitClassify {
		files = files[:1]
		msg = &protocol.Classify{File: protocol.File{Name: names[0]}}
	} else {
		fs := make([]protocol.File, len(files))
		for i := range files {
			fs[i] = protocol.File{Name: names[i]}
		}
		msg = &protocol.AddImages{Split: split, Files: fs, Root: root}
	}
	obj, err := protocol.ObjectWith(msg, files)
	if err != nil {
		panic(err) // our own types always encode, one Blob per file
	}
	b.worker.Call("postMessage", obj)
	return len(files)
}

func (b *workerBridge) SendFiles(split string, list app.Value) int {
	fl := toJS(list)
	n := fl.Length()
	files := make([]js.Value, n)
	names := make([]string, n)
	picked := false // a folder was picked: names start with its name
	for i := range n {
		f := fl.Index(i)
		files[i] = f
		names[i] = f.Get("name").String()
		if rel := f.Get("webkitRelativePath"); rel.Type() == js.TypeString && rel.String() != "" {
			names[i], picked = rel.String(), true
		}
	}
	return b.postFiles(split, files, names, uploadRoot(names, picked))
}

func (b *workerBridge) AttachDropZone(id, split string, sent func(n int)) {
	el := js.Global().Get("document").Call("getElementById", id)
	if el.IsNull() {
		return
	}
	over := js.FuncOf(func(_ js.Value, args []js.Value) any {
		args[0].Call("preventDefault")
		el.Get("classList").Call("add", "dragging")
		return nil
	})
	leave := js.FuncOf(func(_ js.Value, args []js.Value) any {
		el.Get("classList").Call("remove", "dragging")
		return nil
	})
	drop := js.FuncOf(func(_ js.Value, args []js.Value) any {
		e := args[0]
		e.Call("preventDefault")
		el.Get("classList").Call("remove", "dragging")
		// Entries must be taken during the event; walking them is async.
		items := e.Get("dataTransfer").Get("items")
		var entries []js.Value
		folder := false // one folder was dropped: it is the chosen folder
		for i := range items.Length() {
			if it := items.Index(i); it.Get("kind").String() == "file" {
				if en := it.Call("webkitGetAsEntry"); !en.IsNull() {
					entries = append(entries, en)
				}
			}
		}
		folder = len(entries) == 1 && entries[0].Get("isDirectory").Bool()
		go func() {
			var files []js.Value
			var names []string
			for _, en := range entries {
				walkEntry(en, &files, &names)
			}
			// The status first, so that it comes before the worker's answer.
			sent(len(files))
			b.postFiles(split, files, names, uploadRoot(names, folder))
		}()
		return nil
	})
	b.funcs = append(b.funcs, over, leave, drop)
	el.Call("addEventListener", "dragover", over)
	el.Call("addEventListener", "dragleave", leave)
	el.Call("addEventListener", "drop", drop)
}

// walkEntry collects the files under a FileSystemEntry, named by their path
// within the drop ("pets/cat/1.jpg").
func walkEntry(en js.Value, files *[]js.Value, names *[]string) {
	promise := func(call func(resolve, reject js.Value)) js.Value {
		var fn js.Func
		fn = js.FuncOf(func(_ js.Value, args []js.Value) any {
			call(args[0], args[1])
			fn.Release()
			return nil
		})
		return js.Global().Get("Promise").New(fn)
	}
	if en.Get("isFile").Bool() {
		f, err := jsutil.Await(promise(func(res, rej js.Value) { en.Call("file", res, rej) }))
		if err != nil {
			return
		}
		*files = append(*files, f)
		*names = append(*names, strings.TrimPrefix(en.Get("fullPath").String(), "/"))
		return
	}
	if !en.Get("isDirectory").Bool() {
		return
	}
	reader := en.Call("createReader")
	for {
		batch, err := jsutil.Await(promise(func(res, rej js.Value) { reader.Call("readEntries", res, rej) }))
		if err != nil || batch.Length() == 0 {
			return
		}
		for i := range batch.Length() {
			walkEntry(batch.Index(i), files, names)
		}
	}
}

func (b *workerBridge) Download(name string, data []byte) {
	u := js.Global().Get("Uint8Array").New(len(data))
	js.CopyBytesToJS(u, data)
	blob := js.Global().Get("Blob").New([]any{u}, map[string]any{"type": "application/octet-stream"})
	url := js.Global().Get("URL").Call("createObjectURL", blob)
	a := js.Global().Get("document").Call("createElement", "a")
	a.Set("href", url)
	a.Set("download", name)
	a.Call("click")
	js.Global().Call("setTimeout", js.FuncOf(func(js.Value, []js.Value) any {
		js.Global().Get("URL").Call("revokeObjectURL", url)
		return nil
	}), 10000)
}

// toJS gets the syscall/js value behind a go-app Value. go-app keeps it
// unexported, but converts a Value to JS when setting it on an object, so
// it goes through a temporary global.
func toJS(v app.Value) js.Value {
	app.Window().Set("__tesseraTmp", v)
	out := js.Global().Get("__tesseraTmp")
	js.Global().Delete("__tesseraTmp")
	return out
}
