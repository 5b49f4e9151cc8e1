//go:build e2e

package e2e

import (
	"os"
	"path/filepath"

	"github.com/chromedp/chromedp"
)

// saveScreenshot writes a PNG of the window (1280×1500: data, pretext
// settings, live meters, charts and examples) to name (used mid-training
// by TestDemoFlow when -screenshot is given, for the README).
func (b *browser) saveScreenshot(name string) {
	b.t.Helper()
	buf, err := chromedp.Run(b.ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		b.t.Fatal(err)
	}
	if err := os.WriteFile(name, buf, 0o644); err != nil {
		b.t.Fatal(err)
	}
	b.t.Logf("wrote %s (%d bytes)", name, len(buf))
}
