# Tessera — self-supervised learning in the browser.
#   make run    build everything, serve it, print the URL
#   make test   every test: native, wasm (node, scalar and SIMD), browser end-to-end
export GOTOOLCHAIN := go1.27.3
GO      ?= go
GOROOT  := $(shell GOTOOLCHAIN=$(GOTOOLCHAIN) $(GO) env GOROOT)
WASMEXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
# Packages whose code runs in the browser and so is tested under wasm too.
WASM_PKGS := ./nn/... ./pretext/...

.PHONY: run test test-native test-wasm bench clean

run:
	$(GO) run ./cmd/tessera demo

test: test-native test-wasm

test-native:
	$(GO) vet ./...
	$(GO) test ./...

# Under node: once with the scalar kernels, once with WebAssembly SIMD.
test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -exec=$(WASMEXEC) $(WASM_PKGS)
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd $(GO) test -exec=$(WASMEXEC) $(WASM_PKGS)

bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./nn/

clean:
	rm -rf build
