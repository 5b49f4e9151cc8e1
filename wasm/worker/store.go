//go:build js

package worker

import (
	"fmt"
	"syscall/js"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// The store and the demo loader call helpers defined in web/worker.js
// (tesseraStore: IndexedDB get/put/clear returning promises).

func store() js.Value { return self.Get("tesseraStore") }

// Save writes {snapshot: packet, models: {name: ArrayBuffer}} under one key.
func (env) Save(p protocol.Packet, models map[string][]byte) error {
	obj, _ := protocol.ToJS(p)
	ms := js.Global().Get("Object").New()
	for k, b := range models {
		u := js.Global().Get("Uint8Array").New(len(b))
		js.CopyBytesToJS(u, b)
		ms.Set(k, u.Get("buffer"))
	}
	rec := js.Global().Get("Object").New()
	rec.Set("snapshot", obj)
	rec.Set("models", ms)
	_, err := await(store().Call("put", rec))
	return err
}

func (env) Load() (protocol.Packet, map[string][]byte, bool, error) {
	rec, err := await(store().Call("get"))
	if err != nil {
		return protocol.Packet{}, nil, false, err
	}
	if rec.IsUndefined() || rec.IsNull() {
		return protocol.Packet{}, nil, false, nil
	}
	p, _, err := protocol.FromJS(rec.Get("snapshot"), true)
	if err != nil {
		return protocol.Packet{}, nil, false, err
	}
	models := map[string][]byte{}
	ms := rec.Get("models")
	keys := js.Global().Get("Object").Call("keys", ms)
	for i := range keys.Length() {
		k := keys.Index(i).String()
		models[k] = protocol.BytesFromJS(ms.Get(k))
	}
	return p, models, true, nil
}

func (env) Clear() error {
	_, err := await(store().Call("clear"))
	return err
}

// fetchBytes GETs a same-origin URL.
func fetchBytes(url string) ([]byte, error) {
	resp, err := await(js.Global().Call("fetch", url))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	if !resp.Get("ok").Bool() {
		return nil, fmt.Errorf("fetch %s: HTTP %d", url, resp.Get("status").Int())
	}
	buf, err := await(resp.Call("arrayBuffer"))
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	return protocol.BytesFromJS(buf), nil
}

// demoURL is where the site serves web/demo.
const demoURL = "/web/demo/"

// FetchDemo downloads the demo's manifest and sheets and decodes them.
func (env) FetchDemo() (*imageio.DemoSet, error) {
	manifest, err := fetchBytes(demoURL + imageio.DemoManifestName)
	if err != nil {
		return nil, err
	}
	m, err := imageio.ParseDemoManifest(manifest)
	if err != nil {
		return nil, err
	}
	sheets := map[string][]byte{}
	for _, split := range []imageio.DemoSplit{m.Unlabeled, m.Labeled, m.Test} {
		for _, sh := range split.Sheets {
			if sheets[sh.File], err = fetchBytes(demoURL + sh.File); err != nil {
				return nil, err
			}
		}
	}
	return imageio.DecodeDemo(manifest, sheets)
}
