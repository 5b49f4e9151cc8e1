# Tessera — self-supervised learning in the browser.
#   make run    build everything, serve it, print the URL
#   make test   every test: native, wasm (node, scalar and SIMD), browser end-to-end
export GOTOOLCHAIN := go1.27.3
GO      ?= go
GOROOT  := $(shell GOTOOLCHAIN=$(GOTOOLCHAIN) $(GO) env GOROOT)
WASMEXEC := $(GOROOT)/lib/wasm/go_js_wasm_exec
# Packages whose code runs in the browser and so is tested under wasm too.
WASM_PKGS := ./nn/... ./pretext/... ./imageio/... ./train/... ./wasm/protocol/... ./wasm/app/

.PHONY: run build test test-native test-wasm test-e2e screenshot record-demo semi-experiment bench clean

# The browser build: one wasm binary (SIMD on) that is the UI on the page
# and the trainer in its Web Workers (wasm/app picks the role at start), so
# the browser downloads it once; then go-app's static site around it in
# build/web. nojsonv2 links the classic encoding/json instead of Go 1.27's
# default, which is built on encoding/json/v2 and jsontext: the same API and
# behavior, and 1 MB less raw, 0.25 MB less gzip. The trainer decodes images
# with the browser's decoders, so Go's GIF and WebP ones are left out
# (nogifwebp).
WASMENV := GOOS=js GOARCH=wasm GOEXPERIMENT=simd,nojsonv2
SITE    := build/web

build:
	@mkdir -p build
	$(WASMENV) $(GO) build -trimpath -ldflags=-s -tags nogifwebp -o build/app.wasm ./wasm/app
	$(GO) run ./cmd/buildsite -out $(SITE) -app build/app.wasm -wasm-exec $(GOROOT)/lib/wasm/wasm_exec.js

run: build
	$(GO) run ./cmd/tessera-serve -addr 127.0.0.1:8080 -dir $(SITE)

test: test-native test-wasm test-e2e

# Browser end-to-end tests: Debian's Chromium (/usr/bin/chromium) drives the
# built site, served in-process by package server.
test-e2e: build
	$(GO) vet -tags e2e ./e2e/
	$(GO) test -tags e2e -count=1 -timeout 15m ./e2e/ -site $(CURDIR)/$(SITE)

# docs/screenshot.png: the app mid-training, for the README.
screenshot: build
	$(GO) test -tags e2e -count=1 -timeout 10m ./e2e/ -site $(CURDIR)/$(SITE) -run TestDemoFlow -screenshot $(CURDIR)/docs/screenshot.png

# experiments/demo/defaults.json: the demo run with every setting at its
# default in Chromium, from "Try the demo" to the results card (minutes).
record-demo: build
	$(GO) test -tags 'e2e record' -count=1 -timeout 30m ./e2e/ -site $(CURDIR)/$(SITE) -run TestRecordDefaultDemo -v

# experiments/cifar10/semi: the semi-supervised comparison on CIFAR-10
# (about an hour on 2 cores), then its browser budget.
semi-experiment:
	sh experiments/cifar10/run-semi.sh
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd $(GO) test -exec=$(WASMEXEC) ./experiments -run '^$$' \
	  -bench 'Pretrain/\[16_32_64\]/rotation|Finetune/\[16_32_64\]|Semi/\[16_32_64\]' -benchtime 30x -count 3 > experiments/cifar10/semi/bench-wasm.txt
	$(GO) run ./experiments/budget -results experiments/cifar10/semi/results.json -bench experiments/cifar10/semi/bench-wasm.txt \
	  -measured "WebAssembly SIMD under node, one worker, medians of 3 × 30 steps"

test-native:
	$(GO) vet ./...
	$(GO) test ./...

# Under node: once with the scalar kernels, once as the browser build is
# made (WebAssembly SIMD, classic encoding/json), which also runs the
# trainer worker's session tests.
test-wasm:
	GOOS=js GOARCH=wasm $(GO) test -exec=$(WASMEXEC) $(WASM_PKGS)
	$(WASMENV) $(GO) test -exec=$(WASMEXEC) $(WASM_PKGS) ./wasm/trainer/

# Speed: the reference training step natively and in wasm+SIMD under node,
# then the browser table (Tessera vs TF.js and ConvNetJS in headless Chromium;
# a few minutes). Not part of make test.
bench:
	$(GO) test -run='^$$' -bench='Reference(Step|Forward|Backward|SGD|StepDataParallel)$$' ./nn/
	GOOS=js GOARCH=wasm GOEXPERIMENT=simd $(GO) test -exec=$(WASMEXEC) -run='^$$' -bench='Reference(Step|Forward|Backward|SGD)$$' ./nn/
	cd bench && npm ci --no-audit --no-fund
	$(GO) run ./bench -rounds 3 -seconds 2
	$(GO) run ./bench/coldload -site $(SITE) -runs 5

clean:
	rm -rf build
