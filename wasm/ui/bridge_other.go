//go:build !js

package ui

import "github.com/tessera-ssl/tessera/wasm/protocol"

// NewBridge outside the browser records what the UI sends.
func NewBridge(func(protocol.Msg)) Bridge { return &recorder{} }
