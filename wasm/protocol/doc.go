// Package protocol defines every message between Tessera's UI (the go-app
// wasm binary on the page's main thread) and its trainer (a second wasm binary
// in a Web Worker), and their encoding.
//
// A message is a Go struct with a Kind. It travels as a Packet: the kind, the
// struct's JSON, and a list of byte buffers (image files, rendered PNGs,
// safetensors weights) that stay out of the JSON and cross the thread
// boundary as transferable ArrayBuffers, so large payloads are moved, not
// copied. A message holding buffers implements Carrier, naming its byte-slice
// fields in a fixed order; those fields are tagged json:"-".
//
// The package has no syscall/js in its portable files, so the codec is tested
// natively; js.go (GOOS=js) converts a Packet to and from a JS object
// {kind, json, buffers} and lists the ArrayBuffers to transfer.
package protocol
