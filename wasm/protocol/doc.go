// Package protocol defines every message that crosses a thread in Tessera's
// browser app, and their encoding: between the UI (the page's main thread)
// and the trainer (a Web Worker), and between the trainer's leader worker
// and its data-parallel replicas (replica.go). Both roles are the one wasm
// binary, wasm/app, which picks its role at start; both sides use this
// package.
//
// A message is a Go struct with a Kind, one of the constants of kinds.go
// (the one list of kinds, with the registry Decode uses). It travels as a
// Packet: the kind, the struct's JSON, and a list of byte buffers (image
// files, rendered PNGs, safetensors weights, shared memory) that stay out
// of the JSON and cross the thread boundary as transferable ArrayBuffers,
// so large payloads are moved, not copied. A message holding buffers
// implements Carrier, naming its byte-slice fields in a fixed order; those
// fields are tagged json:"-".
//
// History (history.go) is the training curves both sides keep, with the
// rules that turn a Progress into a chart point and a new run into cleared
// phases; the UI's charts and the trainer's autosaved Snapshot both build
// it with History.Record.
//
// The package has no syscall/js in its portable files, so the codec is tested
// natively; js.go (GOOS=js) converts a Packet to and from a JS object
// {kind, json, buffers} and lists the ArrayBuffers to transfer.
package protocol
