// Package headless is the one way Tessera's tools start Chromium (the
// browser tests, the training benchmark, the cold-load measurement): the
// given binary, never a downloaded one, headless, as root without the
// sandbox, with no GPU and no background traffic (the machines it runs on
// reach no network but localhost), in a profile directory of the caller's.
package headless

import "github.com/chromedp/chromedp"

// Options returns chromedp allocator options for the Chromium at execPath
// with the profile directory profile; extra options follow them.
func Options(execPath, profile string, extra ...chromedp.ExecAllocatorOption) []chromedp.ExecAllocatorOption {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(execPath),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
	)
	return append(opts, extra...)
}
