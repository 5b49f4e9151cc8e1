// Package experiment runs Tessera's comparison of self-supervised
// pretraining with training from scratch, and reports it.
//
// For every seed, a supervised baseline trains from scratch on a few
// labeled images per class; for every pretext task (by default every
// registered one, pretext.Names) a trunk pretrains on the unlabeled pool and
// is evaluated on the same labeled images by linear probe, fine-tuning, kNN
// and, optionally, semi-supervised training (Config, Run). Every model is
// tested on the same test set; Summarize reduces the runs to the mean and
// sample standard deviation of test accuracy over seeds (gonum's stat), and
// Result writes them as JSON and as the README's Markdown table.
//
// The files: config.go (Config, Default, the methods), run.go (Run),
// result.go (RunResult, Summary, Result, BrowserBudget, Summarize,
// WriteJSON), markdown.go (WriteMarkdown).
//
// It is native code, for the CLI (tessera experiment) and experiments/*:
// the browser build links package train but not this one, so gonum's stat
// (and the matrix packages it pulls in) stay out of the wasm binary.
package experiment
