//go:build e2e

package e2e

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/train"
	"github.com/tessera-ssl/tessera/wasm/protocol"
	"github.com/tessera-ssl/tessera/wasm/trainer"
)

// Tolerance of the comparison between 2 workers and 1: the two shards'
// gradients and batch statistics are added in another order than one
// worker adds the whole batch, so float32 rounding differs; over the 24
// steps here the weights differed by ~3e-6 relative to the largest (and
// the loss not in its 4 shown decimals), while a real difference (a shard
// trained twice or not at all, gradients not averaged) moves them by
// percents.
const parallelTol = 1e-4

// parallelSamples is the budget of the runs compared: 24 steps of 64.
const parallelSamples = 24 * 64

// loadDemo opens the app and loads the demo dataset.
func (b *browser) loadDemo() {
	b.t.Helper()
	b.open()
	b.click("demo")
	b.waitJS("the demo", fmt.Sprintf(`document.querySelector(%q).textContent == "%d"`, sel("image-count"), demoImages), 90*time.Second)
	if !eval[bool](b, `self.crossOriginIsolated`) {
		b.t.Fatal("the page is not cross-origin isolated: the server's COOP/COEP headers are missing")
	}
}

// send posts a message to the trainer through the page's
// window.tesseraSend (the test hooks' way in).
func (b *browser) send(m protocol.Msg) {
	b.t.Helper()
	p, err := protocol.Encode(m)
	if err != nil {
		b.t.Fatal(err)
	}
	if msg := eval[string](b, fmt.Sprintf(`tesseraSend(%q, %q)`, p.Kind, p.JSON)); msg != "" {
		b.t.Fatalf("tesseraSend %s: %s", p.Kind, msg)
	}
}

// parallelRun is the outcome of one pretraining.
type parallelRun struct {
	loss    float64   // the final loss meter
	rate    float64   // the last samples/s reading
	workers []string  // the workers meter, at every reading
	weights []float32 // the downloaded model's parameters
}

// pretrainWorkers pretrains with the given workers and downloads the model.
func (b *browser) pretrainWorkers(workers int) parallelRun {
	b.t.Helper()
	b.setValue("workers", strconv.Itoa(workers))
	var r parallelRun
	at := map[int]func(){}
	for n := 1; n <= 20; n++ {
		at[n] = func() { r.workers = append(r.workers, b.text("pretrain-workers")) }
	}
	seen := b.pretrain("rotation", parallelSamples, at)
	r.loss = b.number("pretext-loss")
	r.rate = seen[len(seen)-1].rate
	if step := b.text("pretrain-step"); step != fmt.Sprintf("%d / %d", parallelSamples/64, parallelSamples/64) {
		b.t.Fatalf("pretraining ended at step %q", step)
	}
	r.weights = b.downloadWeights()
	return r
}

// downloadWeights clicks the model download and returns the model's parameters.
func (b *browser) downloadWeights() []float32 {
	b.t.Helper()
	dir := b.t.TempDir()
	if _, err := chromedp.CallBrowser(b.ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		b.t.Fatalf("allowing downloads: %v", err)
	}
	b.click("model-download")
	file := waitFile(b.t, dir, ".safetensors", 30*time.Second)
	data, err := os.ReadFile(file)
	if err != nil {
		b.t.Fatal(err)
	}
	m, _, err := train.LoadModel(file, data)
	if err != nil {
		b.t.Fatal(err)
	}
	return nn.FlattenValues(nil, m.Params())
}

// Two trainer workers train the model one worker trains, for the same seed
// (the page always pretrains with seed 1), within parallelTol.
func TestParallelMatchesOneWorker(t *testing.T) {
	b := newBrowser(t, "")
	b.loadDemo()
	two := b.pretrainWorkers(2) // the first steps wait for the replica to start
	one := b.pretrainWorkers(1)
	warm := b.pretrainWorkers(2)
	t.Logf("2 workers: loss %.4f, %.0f samples/s (%.0f with the replica already running); 1 worker: loss %.4f, %.0f samples/s (on %d cores shared with other jobs)",
		two.loss, two.rate, warm.rate, one.loss, one.rate, eval[int](b, `navigator.hardwareConcurrency`))
	if warm.loss != two.loss {
		t.Errorf("two 2-worker runs of the same seed ended at losses %.4f and %.4f", two.loss, warm.loss)
	}
	for _, w := range two.workers {
		if w != "2" {
			t.Errorf("the workers meter read %v during the 2-worker run, want 2 throughout", two.workers)
			break
		}
	}
	for _, w := range one.workers {
		if w != "1" {
			t.Errorf("the workers meter read %v during the 1-worker run, want 1 throughout", one.workers)
			break
		}
	}
	// The meter shows 4 decimals: compare the loss to that precision.
	if d := math.Abs(two.loss - one.loss); d > max(parallelTol*one.loss, 1e-4) {
		t.Errorf("final loss: 2 workers %.4f, 1 worker %.4f", two.loss, one.loss)
	}
	if len(two.weights) != len(one.weights) {
		t.Fatalf("models of %d and %d parameters", len(two.weights), len(one.weights))
	}
	var d, m float64
	for i := range one.weights {
		d = max(d, math.Abs(float64(two.weights[i])-float64(one.weights[i])))
		m = max(m, math.Abs(float64(one.weights[i])))
	}
	t.Logf("weights: max |Δ| %.3g, relative to the largest %.3g", d, d/m)
	if d/m > parallelTol {
		t.Errorf("the 2-worker model differs from the 1-worker one by %.3g (relative) > %g", d/m, parallelTol)
	}
	b.noErrors()
}

// A replica worker that fails is reported by number, and pretraining goes
// on, on one worker, to the end: when its Go code panics (it recovers and
// reports) and when its Go program exits (web/worker.js tells the leader,
// which must notice while it waits for the replica). The failures come from
// a test hook, the protocol.FailReplica message, which the page's
// window.tesseraSend posts to the trainer (see wasm/ui/bridge_js.go).
func TestParallelReplicaFailure(t *testing.T) {
	b := newBrowser(t, "")
	b.loadDemo()
	for _, tc := range []struct{ mode, cause string }{
		{protocol.FailPanic, "panic: " + trainer.ErrFailHook.Error()},
		{protocol.FailExit, "its Go program exited"},
	} {
		b.send(&protocol.FailReplica{AtStep: 5, Mode: tc.mode})
		b.setValue("workers", "2")
		b.setValue("task", "rotation")
		b.setValue("budget-unit", "samples")
		b.setValue("budget", strconv.Itoa(parallelSamples))
		b.click("pretrain-start")
		b.waitJS("the failure report", `/worker 2 of 2 failed/.test(document.querySelector('[data-testid=worker-errors]').textContent)`, 2*time.Minute)
		b.waitJS("the end of pretraining", `!!document.querySelector('[data-testid=pretrain-progress] .fill.done')`, 4*time.Minute)
		errs := b.text("worker-errors")
		t.Logf("mode %q: page errors: %s", tc.mode, errs)
		if want := "worker 2 of 2 failed: " + tc.cause + "; pretraining continues on 1 worker"; !strings.Contains(errs, want) {
			t.Errorf("mode %q: the error panel lacks %q: %s", tc.mode, want, errs)
		}
		if step, want := b.text("pretrain-step"), fmt.Sprintf("%d / %d", parallelSamples/64, parallelSamples/64); step != want {
			t.Errorf("mode %q: pretraining ended at step %q, want %q", tc.mode, step, want)
		}
		if w := b.text("pretrain-workers"); w != "1" {
			t.Errorf("mode %q: after the failure the workers meter reads %q, want 1", tc.mode, w)
		}
		b.do("dismiss the errors", chromedp.Click(chromedp.CSS(`[data-testid=worker-errors] button`)))
		// The panel sits above the forms, and go-app removes it at its next
		// frame (up to 1/120 s later, more on a busy machine); until then
		// the start button is lower by the panel's height. chromedp's Click
		// reads where the button is, then sends the mouse there: if the
		// panel goes in between, the click lands on the meters below and
		// nothing starts. Wait until the page has settled.
		b.waitJS("the dismissal", `document.querySelector('[data-testid=worker-errors]').hidden`, 5*time.Second)
	}
	// The next run starts a fresh replica and uses 2 workers again.
	b.send(&protocol.FailReplica{})
	r := b.pretrainWorkers(2)
	if r.workers[len(r.workers)-1] != "2" {
		t.Errorf("the run after the failures used %v workers, want 2", r.workers)
	}
	if errs := b.consoleErrors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}
