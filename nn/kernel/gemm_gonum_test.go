package kernel

import "github.com/tessera-ssl/tessera/nn/kernel/internal/gonumgemm"

// sgemmGonum is the reference every kernel is checked against (checkGemm)
// and benchmarked beside; the tests list it in every build, the wasm one
// included, whose binaries do not link gonum.
var sgemmGonum sgemmFunc = gonumgemm.Sgemm

func init() { registerGemm("gonum", sgemmGonum, 0) }
