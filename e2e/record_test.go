//go:build e2e && record

package e2e

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

var recordOut = flag.String("record", "../experiments/demo/defaults.json", "where TestRecordDefaultDemo writes its figures")

// DemoRecord is what a user sees running the demo with every setting at
// its default, from "Try the demo" to the results card.
type DemoRecord struct {
	Date            string  `json:"date"`
	Mode            string  `json:"mode"`
	Task            string  `json:"task"`
	Budget          string  `json:"budget"`          // the budget field and its unit
	PretrainSteps   string  `json:"pretrainSteps"`   // the step meter at the end
	PretrainRate    float64 `json:"pretrainRate"`    // samples/s, last reading
	Workers         string  `json:"workers"`         // trainer workers of pretraining
	PretrainSeconds float64 `json:"pretrainSeconds"` // start click to done
	DownstreamSteps string  `json:"downstreamSteps"`
	DownstreamSecs  float64 `json:"downstreamSeconds"`
	TotalSeconds    float64 `json:"totalSeconds"` // "Try the demo" click to the results card
	AccPretrained   float64 `json:"accPretrained"`
	AccScratch      float64 `json:"accScratch"`
	Gain            float64 `json:"gain"` // points
	TestImages      int     `json:"testImages"`
}

// TestRecordDefaultDemo drives the built app as a newcomer would: the demo,
// then both start buttons, changing nothing, and records the figures. It
// takes as long as the defaults do (minutes), so it is a script, not part
// of make test:
//
//	make build && go test -tags 'e2e record' -run TestRecordDefaultDemo -timeout 30m ./e2e/ -site $PWD/build/web
func TestRecordDefaultDemo(t *testing.T) {
	b := newBrowser(t, "")
	b.open()
	start := time.Now()
	b.click("demo")
	b.waitJS("the demo", fmt.Sprintf(`document.querySelector(%q).textContent == "%d"`, sel("image-count"), demoImages), 90*time.Second)
	r := DemoRecord{Date: time.Now().UTC().Format(time.RFC3339)}
	r.Task = eval[string](b, `document.querySelector('[data-testid=task]').value`)
	r.Budget = eval[string](b, `document.querySelector('[data-testid=budget]').value + " " + document.querySelector('[data-testid=budget-unit]').value`)
	r.Mode = eval[string](b, `document.querySelector('[data-testid=mode]').value`)
	b.waitJS("the start button", `!document.querySelector('[data-testid=pretrain-start]').disabled`, time.Minute)
	t0 := time.Now()
	b.click("pretrain-start")
	b.waitJS("pretraining", `!!document.querySelector('[data-testid=pretrain-progress] .fill.done')`, 30*time.Minute)
	r.PretrainSeconds = time.Since(t0).Seconds()
	r.PretrainSteps = b.text("pretrain-step")
	r.PretrainRate = b.number("throughput")
	r.Workers = b.text("pretrain-workers")
	b.waitJS("the fine-tune button", `!document.querySelector('[data-testid=finetune-start]').disabled`, time.Minute)
	t1 := time.Now()
	b.click("finetune-start")
	b.waitJS("results", `!!document.querySelector('[data-testid=accuracy-scratch]')`, 30*time.Minute)
	r.DownstreamSecs = time.Since(t1).Seconds()
	r.TotalSeconds = time.Since(start).Seconds()
	r.DownstreamSteps = b.text("pretrained-step")
	r.AccPretrained, r.AccScratch = b.number("accuracy-pretrained"), b.number("accuracy-scratch")
	r.Gain = r.AccPretrained - r.AccScratch
	r.TestImages = eval[int](b, `[...document.querySelectorAll('[data-testid=confusion] td')].reduce((s, td) => s + Number(td.textContent), 0)`)
	js, _ := json.MarshalIndent(r, "", "  ")
	if err := os.WriteFile(*recordOut, append(js, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s", strings.TrimSpace(string(js)))
	if r.TotalSeconds > 600 {
		t.Errorf("the default demo took %.0f s, want ≤ 600", r.TotalSeconds)
	}
	if r.Gain < 10 {
		t.Errorf("pretrained %.1f%% vs scratch %.1f%%: gain %.1f points, want ≥ 10", r.AccPretrained, r.AccScratch, r.Gain)
	}
	b.noErrors()
}
