package ui

import (
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// testid returns the text inside the element carrying data-testid id.
func testid(t *testing.T, html, id string) string {
	t.Helper()
	re := regexp.MustCompile(`data-testid="` + regexp.QuoteMeta(id) + `"[^>]*>([^<]*)<`)
	m := re.FindStringSubmatch(html)
	if m == nil {
		t.Fatalf("no data-testid %q in\n%s", id, html)
	}
	return strings.TrimSpace(m[1])
}

func TestAppMounts(t *testing.T) {
	e := app.NewTestEngine()
	a := &App{}
	if err := e.Load(a); err != nil {
		t.Fatal(err)
	}
	e.ConsumeAll()
	html := app.HTMLString(a)
	for _, id := range []string{"demo", "upload-unlabeled", "upload-labeled", "task", "pretrain-start", "finetune-start", "model-download", "model-upload"} {
		if !strings.Contains(html, `data-testid="`+id+`"`) {
			t.Errorf("mounted page lacks %q", id)
		}
	}
	if got := testid(t, html, "image-count"); got != "0" {
		t.Errorf("image-count %q", got)
	}
}

func TestRenderSections(t *testing.T) {
	a := &App{}
	a.OnInit()
	s := a.State()
	s.Apply(&protocol.Ready{})
	s.Apply(&protocol.DataLoaded{Classes: []string{"cat", "dog"}, Unlabeled: 3, Labeled: 2, PerClass: []int{1, 1},
		FileErrors: []protocol.FileError{{Name: "bad.png", Reason: "not an image"}}})
	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 5, Steps: 10,
		Loss: 1.23456, Accuracy: 0.5, SamplesPerSec: 123.4, ETASeconds: 75, Workers: 2})
	s.Apply(&protocol.Results{Classes: []string{"cat", "dog"}, AccPretrained: 0.625, AccScratch: 0.5,
		PerClassPretrained: []float64{0.5, 0.75}, PerClassScratch: []float64{0.5, 0.5},
		Confusion: [][]int{{1, 1}, {0, 2}}, Predictions: []protocol.Prediction{{True: 0, Top: []protocol.Guess{{Class: 1, P: 0.7}}, PNG: []byte{1}}}})

	data := app.HTMLString(a.renderData(s))
	if got := testid(t, data, "image-count"); got != "5" {
		t.Errorf("image-count %q", got)
	}
	if !strings.Contains(data, "bad.png") || !strings.Contains(data, "not an image") {
		t.Error("file errors not listed")
	}
	pre := app.HTMLString(a.renderPretext(s))
	if !strings.Contains(pre, `data-testid="workers-hint"`) {
		t.Error("a page that is not cross-origin isolated does not say it uses one worker")
	}
	if !regexp.MustCompile(`data-testid="pretrain-workers"[^>]*>2</span>\s*<span[^>]*>workers<`).MatchString(pre) {
		t.Errorf("progress does not say 2 workers:\n%s", pre)
	}
	s.SetEnvironment(4, true)
	if strings.Contains(app.HTMLString(a.renderPretext(s)), `data-testid="workers-hint"`) {
		t.Error("an isolated page says it uses one worker")
	}
	for id, want := range map[string]string{"pretext-loss": "1.2346", "pretext-accuracy": "50.0", "throughput": "123", "eta": "1 min 15 s"} {
		if got := testid(t, pre, id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	// go-app writes attributes in no fixed order, and Disabled(false) as
	// disabled="false": find the tag, then look inside.
	disabled := func(tag string) bool {
		return regexp.MustCompile(`\sdisabled(\s|>|="true")`).MatchString(tag)
	}
	for _, tag := range regexp.MustCompile(`<button[^>]*>`).FindAllString(pre, -1) {
		if strings.Contains(tag, `"pretrain-start"`) && !disabled(tag) {
			t.Errorf("start is live while training runs: %s", tag)
		}
		if strings.Contains(tag, `"pretrain-stop"`) && disabled(tag) {
			t.Errorf("stop is disabled while training runs: %s", tag)
		}
	}
	res := app.HTMLString(a.renderResults(s))
	if testid(t, res, "accuracy-pretrained") != "62.5" || testid(t, res, "accuracy-scratch") != "50.0" {
		t.Error("accuracies not shown as plain percentages")
	}
	if n := strings.Count(res, "<td"); n < 4+4 {
		t.Errorf("%d table cells, want the 2×2 confusion matrix and the per-class rows", n)
	}
	if !strings.Contains(res, `class="pred wrong"`) {
		t.Error("a wrong prediction is not flagged")
	}
}
