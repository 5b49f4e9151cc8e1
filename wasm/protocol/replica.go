package protocol

import "encoding/json"

// ---- leader ↔ replica --------------------------------------------------------
//
// For data-parallel training the trainer worker the page starts (the
// leader) starts replica workers of its own (wasm/worker/replicas.go) and
// hands each run to them as a ReplicaJob; a replica answers ReplicaIdle
// when its part of the run is over, or ReplicaFailed. A replica whose Go
// program could not start or exited is reported by web/worker.js as an
// Error.

// ReplicaJob hands replica Index (1..Workers−1; the leader is 0) its part
// of data-parallel run Run.
type ReplicaJob struct {
	Run     int `json:"run"`
	Index   int `json:"index"`
	Workers int `json:"workers"`
	// Job is what to train, package trainer's ReplicaJob as JSON (the
	// pretraining or downstream configuration; trainer owns its fields).
	Job json.RawMessage `json:"job,omitempty"`
	// SlotSize is the bytes of each exchange slot in Memory.
	SlotSize int `json:"slotSize"`
	// The pool: Images images of Size×Size RGB pixels in Pool; PoolID names
	// it, so a replica copies a pool only once while the leader's stays
	// the same.
	PoolID int `json:"poolID"`
	Images int `json:"images"`
	Size   int `json:"size"`
	// Memory is the run's exchange memory and Pool the pool's pixels. In
	// the browser both are SharedArrayBuffers, shared with the replica
	// rather than copied (ObjectWith, and FromJS without copying).
	Memory []byte `json:"-"`
	Pool   []byte `json:"-"`
}

// ReplicaIdle says a replica finished its part of run Run.
type ReplicaIdle struct {
	Run int `json:"run"`
}

// ReplicaFailed says a replica's part of run Run failed, and why (it has
// also recorded the failure in the run's memory).
type ReplicaFailed struct {
	Run     int    `json:"run"`
	Message string `json:"message"`
}

// ---- a test hook -------------------------------------------------------------

// FailReplica is a test hook that no control of the page sends (the
// browser tests post it through window.tesseraSend, wasm/ui/bridge_js.go):
// from then on the last replica of every data-parallel run, pretraining or
// downstream, fails after AtStep steps; AtStep 0 turns the hook off. Mode
// FailPanic panics (a Go failure the replica recovers and reports);
// FailExit ends the replica's Go program, as a crash would.
type FailReplica struct {
	AtStep int    `json:"atStep,omitempty"`
	Mode   string `json:"mode,omitempty"`
}

// FailReplica modes.
const (
	FailPanic = ""
	FailExit  = "exit"
)
