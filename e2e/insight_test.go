//go:build e2e

package e2e

import (
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

var neighboursShot = flag.String("neighbours-screenshot", "", "TestInsightViews also writes the neighbours panel before and after pretraining to this PNG prefix (-before.png, -after.png)")

// clickCSS clicks the first element matching a CSS selector.
func (b *browser) clickCSS(css string) {
	b.t.Helper()
	b.waitJS(css+" present", fmt.Sprintf(`!!document.querySelector(%q)`, css), 30*time.Second)
	b.do("click "+css, chromedp.Click(chromedp.CSS(css)))
}

// count is the number of elements matching a CSS selector.
func (b *browser) count(css string) int {
	b.t.Helper()
	return eval[int](b, fmt.Sprintf(`document.querySelectorAll(%q).length`, css))
}

// shootElement writes a PNG of the element with the given testid.
func (b *browser) shootElement(testid, name string) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.Screenshot(chromedp.CSS(sel(testid))))
	if err != nil {
		b.t.Fatalf("screenshot of %s: %v", testid, err)
	}
	if err := os.WriteFile(name, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("wrote %s (%d bytes)", name, len(buf))
}

// The Insight views on the demo: a labeled thumbnail's neighbours under the
// random-init trunk (none yet after pretraining), the feature map and its
// zoom; then a short rotation pretraining (seed 1, as the page always
// uses), during which the filters and the kNN monitor appear; and after
// it, the neighbours found again under the pretrained trunk, whose labeled
// images share their class with their nearest labeled images more often
// than under the random init.
func TestInsightViews(t *testing.T) {
	b := newBrowser(t, "")
	b.loadDemo()
	const query = `[data-testid=thumb][data-class="3"]`
	b.clickCSS(query)
	b.waitJS("neighbours before pretraining", `document.querySelectorAll('[data-testid=neighbour-before]').length == 8`, 2*time.Minute)
	if n := b.count(`[data-testid=neighbour-after]`); n != 0 || !strings.Contains(b.text("neighbours-after"), "No pretrained trunk yet") {
		t.Errorf("%d neighbours after pretraining before any pretraining; row says %q", n, b.text("neighbours-after"))
	}
	if q := eval[string](b, `document.querySelector('[data-testid=neighbour-query]').dataset.class`); q != "3" {
		t.Errorf("query of class %q, clicked a thumbnail of class 3", q)
	}
	before := b.number("agreement-before")
	if !(before > 0 && before < 100) {
		t.Errorf("class agreement before pretraining %v %%", before)
	}
	if *neighboursShot != "" {
		b.shootElement("neighbours", *neighboursShot+"-before.png")
	}

	b.click("map-features")
	b.waitJS("the feature map", `document.querySelectorAll('[data-testid=map-before] circle[data-pool]').length >= 1000`, 2*time.Minute)
	if n := b.count(`[data-testid=map-legend] .legend-item`); n < 10 {
		t.Errorf("map legend has %d items, want the 10 classes", n)
	}
	b.clickCSS(`[data-testid=map-before] [data-testid=zoom-in]`)
	b.waitJS("zoom", `document.querySelector('[data-testid=map-before] svg.plot').getAttribute('viewBox') == "250.00 250.00 500.00 500.00"`, 10*time.Second)

	// 25 steps of 64 rotation samples.
	b.pretrain("rotation", 25*64, map[int]func(){})
	if n := b.count(`[data-testid=filters] img`); n != 1 || !strings.Contains(b.text("filters"), "first-layer filters at step") {
		t.Errorf("filters: %d images, caption %q", n, b.text("filters"))
	}
	if knn := b.number("knn-accuracy"); !(knn > 0 && knn <= 100) {
		t.Errorf("kNN monitor reads %v %%", knn)
	}
	// The page asks for the same query's neighbours again when pretraining ends.
	b.waitJS("neighbours after pretraining", `document.querySelectorAll('[data-testid=neighbour-after]').length == 8`, 2*time.Minute)
	after := b.number("agreement-after")
	if again := b.number("agreement-before"); again != before {
		t.Errorf("random-init agreement changed from %v to %v with the same seed", before, again)
	}
	t.Logf("labeled images' 8 nearest labeled images sharing their class: %.1f %% random init, %.1f %% after %d rotation steps", before, after, 25)
	if !(after > before) {
		t.Errorf("class agreement after pretraining %.1f %% is not above the random init's %.1f %%", after, before)
	}
	if *neighboursShot != "" {
		b.shootElement("neighbours", *neighboursShot+"-after.png")
	}
	b.waitJS("the feature map after pretraining", `document.querySelectorAll('[data-testid=map-after] circle[data-pool]').length >= 1000`, 2*time.Minute)
	if s := b.text("same-class-after"); s != "" {
		if _, err := strconv.Atoi(s); err != nil {
			t.Errorf("same-class-after %q is not a plain integer", s)
		}
	}
	b.noErrors()
}
