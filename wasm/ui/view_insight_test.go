package ui

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// tagsWith returns the opening tags that carry data-testid id (go-app
// writes attributes in no fixed order, so tests look inside each tag).
func tagsWith(html, id string) []string {
	var out []string
	for _, tag := range regexp.MustCompile(`<[a-z]+\s[^>]*>`).FindAllString(html, -1) {
		if strings.Contains(tag, `data-testid="`+id+`"`) {
			out = append(out, tag)
		}
	}
	return out
}

// attr is an attribute's value in an opening tag.
func attr(tag, name string) string {
	m := regexp.MustCompile(`\s` + regexp.QuoteMeta(name) + `="([^"]*)"`).FindStringSubmatch(tag)
	if m == nil {
		return ""
	}
	return m[1]
}

func TestRenderInsightSteps(t *testing.T) {
	a := &App{}
	a.OnInit()
	s := a.State()
	if html := app.HTMLString(a.renderInsight(s)); strings.Contains(html, `data-testid="neighbours"`) {
		t.Error("the insight step shows before any data")
	}
	if h := app.HTMLString(a.renderDownstream(s)); !strings.Contains(h, `<span class="num">3</span>`) {
		t.Error("without data, downstream is not step 3")
	}
	s.Apply(&protocol.Ready{})
	s.Apply(demoData)
	html := app.HTMLString(a.renderInsight(s))
	for _, id := range []string{"neighbours", "neighbours-hint", "feature-map", "map-features"} {
		if len(tagsWith(html, id)) != 1 {
			t.Errorf("the insight step lacks %q", id)
		}
	}
	if !strings.Contains(html, `<span class="num">3</span>`) || !strings.Contains(app.HTMLString(a.renderDownstream(s)), `<span class="num">4</span>`) {
		t.Error("with data, insight is not step 3 and downstream step 4")
	}
	// Every thumbnail of the data step names its pool image.
	thumbs := tagsWith(app.HTMLString(a.renderData(s)), "thumb")
	if len(thumbs) != 2 || attr(thumbs[1], "data-pool") != "5" || attr(thumbs[1], "data-class") != "1" || attr(thumbs[0], "data-class") != "-1" {
		t.Errorf("data thumbnails %q", thumbs)
	}
}

func TestRenderNeighbours(t *testing.T) {
	a := &App{}
	a.OnInit()
	s := a.State()
	s.Apply(demoData)
	s.Apply(neighboursMsg)
	html := app.HTMLString(a.renderInsight(s))
	classes := func(id string) []string {
		var out []string
		for _, tag := range tagsWith(html, id) {
			out = append(out, attr(tag, "data-class"))
		}
		return out
	}
	if got, want := classes("neighbour-before"), []string{"1", "-1", "0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("neighbour-before classes %q, want %q", got, want)
	}
	if got, want := classes("neighbour-after"), []string{"0", "0"}; !reflect.DeepEqual(got, want) {
		t.Errorf("neighbour-after classes %q, want %q", got, want)
	}
	if q := tagsWith(html, "neighbour-query"); len(q) != 1 || attr(q[0], "data-class") != "0" || attr(q[0], "data-pool") != "3" {
		t.Errorf("query %q", q)
	}
	for id, want := range map[string]string{"same-class-before": "1", "same-class-after": "2", "agreement-before": "21.2", "agreement-after": "25.0"} {
		if got := testid(t, html, id); got != want {
			t.Errorf("%s = %q, want %q", id, got, want)
		}
	}
	for _, want := range []string{"random init", "after pretraining (rotation)", "0.93 · dog", "0.50 · unlabeled"} {
		if !strings.Contains(html, want) {
			t.Errorf("neighbours lack %q", want)
		}
	}
	if strings.Contains(html, "No pretrained trunk yet") {
		t.Error("says there is no pretrained trunk, with neighbours after pretraining")
	}

	// Before any pretraining the second row says so.
	s.Apply(&protocol.Neighbours{Query: neighboursMsg.Query, Before: neighboursMsg.Before, AgreementBefore: -1, AgreementAfter: -1})
	html = app.HTMLString(a.renderInsight(s))
	if len(tagsWith(html, "neighbour-after")) != 0 || !strings.Contains(html, "No pretrained trunk yet: pretrain in step 2") {
		t.Errorf("without a pretrained trunk:\n%s", html)
	}
	if len(tagsWith(html, "agreement")) != 0 {
		t.Error("a class agreement is shown without one (-1: fewer than 2 labeled images)")
	}
	s.Apply(&protocol.Neighbours{Query: neighboursMsg.Query, Before: neighboursMsg.Before, AgreementBefore: 0.5, AgreementAfter: -1})
	html = app.HTMLString(a.renderInsight(s))
	if testid(t, html, "agreement-before") != "50.0" || len(tagsWith(html, "agreement-after")) != 0 {
		t.Errorf("agreement without a pretrained trunk:\n%s", html)
	}
	s.AskNeighbours(7)
	if html := app.HTMLString(a.renderInsight(s)); len(tagsWith(html, "neighbours-busy")) != 1 {
		t.Error("a question on its way is not shown")
	}
}

func TestRenderFeatureMap(t *testing.T) {
	a := &App{}
	a.OnInit()
	s := a.State()
	s.Apply(demoData)
	pts := make([]protocol.MapPoint, 5000)
	for i := range pts {
		pts[i] = protocol.MapPoint{X: float32(i % 71), Y: float32(i % 53), Class: i%3 - 1, Pool: i}
	}
	s.Apply(&protocol.FeatureMap{Classes: []string{"cat", "dog"}, Task: "jigsaw", Before: pts[:100], After: pts,
		ExplainedBefore: [2]float64{0.234, 0.11}, ExplainedAfter: [2]float64{0.5, 0.25}})
	html := app.HTMLString(a.renderInsight(s))
	for _, want := range []string{"PC 1 · 23.4 % of the variance", "PC 2 · 11.0 %", "PC 1 · 50.0 % of the variance", "after pretraining (jigsaw)"} {
		if !strings.Contains(html, want) {
			t.Errorf("map lacks %q", want)
		}
	}
	viewBoxes := regexp.MustCompile(`class="plot"[^>]* viewBox="([^"]+)"`).FindAllStringSubmatch(html, -1)
	if len(viewBoxes) != 2 {
		t.Fatalf("%d scatters, want 2", len(viewBoxes))
	}
	if got := strings.Count(html, "<circle"); got != 100+DefaultMaxDots {
		t.Errorf("%d dots, want all 100 before and %d sampled after", got, DefaultMaxDots)
	}
	if len(tagsWith(html, "map-after-sampled")) != 1 || len(tagsWith(html, "map-before-sampled")) != 0 {
		t.Error("the page does not say which side is sampled")
	}
	if !strings.Contains(html, fmt.Sprintf("Showing %d of the 5000 images in view", DefaultMaxDots)) {
		t.Error("the sampling note lacks the counts")
	}
	legend := app.HTMLString(mapLegend(s, s.Insight.Map))
	for k, name := range map[int]string{0: "cat", 1: "dog", -1: "unlabeled"} {
		item := fmt.Sprintf(`data-class="%d"[^>]*>\s*<span[^>]*background:%s[^>]*></span>\s*%s\s*<`, k, regexp.QuoteMeta(ClassColor(k)), name)
		if !regexp.MustCompile(item).MatchString(legend) {
			t.Errorf("legend lacks %s in %s: %s", name, ClassColor(k), legend)
		}
	}
	// The zoom buttons carry their side and action; zooming one side
	// changes that side's viewBox only.
	zoomIns := tagsWith(html, "zoom-in")
	if len(zoomIns) != 2 || attr(zoomIns[1], "data-side") != "1" || attr(zoomIns[1], "data-action") != fmt.Sprint(int(ZoomIn)) {
		t.Errorf("zoom buttons %q", zoomIns)
	}
	s.ViewMap(MapAfter, ZoomIn)
	zoomed := regexp.MustCompile(`class="plot"[^>]* viewBox="([^"]+)"`).FindAllStringSubmatch(app.HTMLString(a.renderInsight(s)), -1)
	if zoomed[0][1] != viewBoxes[0][1] || zoomed[1][1] != "250.00 250.00 500.00 500.00" {
		t.Errorf("viewBoxes %v → %v", viewBoxes, zoomed)
	}

	// Without a pretrained trunk the after side says so.
	s.Apply(&protocol.FeatureMap{Before: pts[:10]})
	if html := app.HTMLString(a.renderInsight(s)); strings.Count(html, `class="plot"`) != 1 || !strings.Contains(html, "No pretrained trunk yet") {
		t.Errorf("a map without an after side:\n%s", html)
	}
}

func TestRenderFiltersAndKNN(t *testing.T) {
	a := &App{}
	a.OnInit()
	s := a.State()
	s.Apply(demoData)
	pre := app.HTMLString(a.renderPretext(s))
	if f := tagsWith(pre, "filters"); len(f) != 1 || strings.Contains(pre, "first-layer filters at step") {
		t.Error("the filters panel is missing, or shows filters before any")
	}
	if strings.Contains(pre, `data-testid="knn-accuracy"`) {
		t.Error("a kNN accuracy is shown before any")
	}
	s.Apply(pretrain(0, protocol.StateRunning))
	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 2, Steps: 10, Loss: 2, Accuracy: 0.3, KNNAccuracy: 0.3})
	s.Apply(&protocol.Progress{Phase: protocol.PhasePretrain, State: protocol.StateRunning, Step: 4, Steps: 10, Loss: 1.5, Accuracy: 0.4, KNNAccuracy: 0.412})
	s.Apply(filtersMsg)
	pre = app.HTMLString(a.renderPretext(s))
	if got := testid(t, pre, "knn-accuracy"); got != "41.2" {
		t.Errorf("knn-accuracy %q, want 41.2", got)
	}
	if !strings.Contains(pre, "no labels used in training") {
		t.Error("the kNN monitor is not explained")
	}
	if !strings.Contains(pre, "first-layer filters at step 40") {
		t.Error("no filters caption")
	}
	img := regexp.MustCompile(`<img[^>]*base64,AQID[^>]*>`).FindString(pre)
	if !strings.Contains(img, "width:336px") { // 8 columns of 3 pixels, 14 screen pixels each
		t.Errorf("filters image %q", img)
	}
	// The accuracy chart has the kNN curve beside the pretext accuracy.
	chart := pre[strings.Index(pre, `data-testid="accuracy-chart"`):]
	chart = chart[:strings.Index(chart, "</svg>")]
	if !strings.Contains(chart, `stroke="`+colorKNN+`"`) || strings.Count(chart, "<polyline") != 2 {
		t.Errorf("accuracy chart without the kNN curve:\n%s", chart)
	}
}

func TestFiltersWidth(t *testing.T) {
	for _, tc := range []struct {
		size, cols, want int
	}{
		{3, 8, 336},   // 14 pixels per weight
		{5, 8, 320},   // 8
		{3, 16, 624},  // 13: 14 would pass 640
		{7, 8, 336},   // 6
		{11, 1, 44},   // 4
		{40, 16, 640}, // 1
	} {
		if got := filtersWidth(&protocol.Filters{Size: tc.size, Columns: tc.cols}); got != tc.want {
			t.Errorf("%d columns of %d pixels: width %d, want %d", tc.cols, tc.size, got, tc.want)
		}
	}
}
