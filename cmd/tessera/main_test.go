package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tessera runs the command line in-process and returns its exit code and output.
func tessera(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(ctx, args, &out, &errb)
	return code, out.String(), errb.String()
}

var testColors = map[string]color.RGBA{"red": {220, 40, 40, 255}, "green": {40, 200, 40, 255}, "blue": {40, 60, 230, 255}}

// writeImageFolder writes perClass noisy 16×16 PNGs of each colour class
// under dir/<class>/ and returns dir.
func writeImageFolder(t *testing.T, perClass int, seed uint64) string {
	t.Helper()
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(seed, 0))
	for name, c := range testColors {
		if err := os.MkdirAll(filepath.Join(dir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range perClass {
			writePNG(t, filepath.Join(dir, name, fmt.Sprintf("%02d.png", i)), noisy(c, rng))
		}
	}
	return dir
}

func noisy(c color.RGBA, rng *rand.Rand) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 16, 16))
	jitter := func(v uint8) uint8 { return uint8(min(255, max(0, int(v)+rng.IntN(61)-30))) }
	for y := range 16 {
		for x := range 16 {
			s := uint8(255 * y / 16) // a gradient, so rotation has something to see
			m.Set(x, y, color.RGBA{jitter(c.R/2 + s/2), jitter(c.G/2 + s/2), jitter(c.B / 2), 255})
		}
	}
	return m
}

func writePNG(t *testing.T, path string, m image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// tiny are flags that keep every run to a fraction of a second.
var tiny = []string{"-size", "16", "-width", "8,16"}

func TestHelp(t *testing.T) {
	code, out, _ := tessera(t, context.Background(), "-h")
	if code != 0 || !strings.Contains(out, "pretrain") || !strings.Contains(out, "experiment") || !strings.Contains(out, "130") {
		t.Errorf("tessera -h: code %d, output:\n%s", code, out)
	}
	for _, c := range commands() {
		code, out, errOut := tessera(t, context.Background(), c.name, "-h")
		if code != 0 || !strings.Contains(out, "Usage: tessera "+c.name) || !strings.Contains(out, "Flags:") || errOut != "" {
			t.Errorf("tessera %s -h: code %d, stdout:\n%s\nstderr:\n%s", c.name, code, out, errOut)
		}
	}
}

func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		args    []string
		wantErr string
	}{
		{nil, "Usage: tessera <command>"},
		{[]string{"bogus"}, `unknown command "bogus"`},
		{[]string{"pretrain", "-bogus"}, "flag provided but not defined: -bogus"},
		{[]string{"pretrain"}, "-data is required"},
		{[]string{"pretrain", "-data", dir, "-task", "telepathy"}, `-task "telepathy"`},
		{[]string{"pretrain", "-data", dir, "-width", "8,x"}, "-width"},
		{[]string{"pretrain", "-data", dir, "-samples", "abc"}, "invalid value"},
		{[]string{"pretrain", "-data", dir, "-size", "4"}, "-size 4"},
		{[]string{"pretrain", "-data", dir, "extra"}, `unexpected argument "extra"`},
		{[]string{"finetune", "-data", dir}, "-model FILE"},
		{[]string{"finetune", "-data", dir, "-scratch", "-model", "m.safetensors"}, "not both"},
		{[]string{"finetune", "-data", dir, "-model", "m", "-mode", "sideways"}, `-mode "sideways"`},
		{[]string{"finetune", "-data", dir, "-scratch", "-mode", "linear"}, "-mode linear needs a pretrained -model"},
		{[]string{"finetune", "-data", dir, "-scratch", "-unlabeled", dir}, "-unlabeled is for -mode semi"},
		{[]string{"eval", "-data", dir}, "-model is required"},
		{[]string{"predict", "-model", "m.safetensors"}, "no image files"},
		{[]string{"experiment", "-train", dir}, "-test is required"},
		{[]string{"experiment", "-train", dir, "-test", dir, "-tasks", "rotation,nope"}, `unknown task "nope"`},
		{[]string{"experiment", "-train", dir, "-test", dir, "-seeds", "0"}, "-seeds 0"},
	}
	for _, tt := range tests {
		code, _, errOut := tessera(t, context.Background(), tt.args...)
		if code != exitUsage || !strings.Contains(errOut, tt.wantErr) {
			t.Errorf("tessera %v: code %d, stderr %q; want %d and %q", tt.args, code, errOut, exitUsage, tt.wantErr)
		}
	}
}

func TestRuntimeErrors(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	notModel := filepath.Join(t.TempDir(), "notes.safetensors")
	os.WriteFile(notModel, []byte("hello"), 0o644)
	data := writeImageFolder(t, 2, 1)
	tests := []struct {
		args    []string
		wantErr string
	}{
		{[]string{"pretrain", "-data", missing}, missing},
		{[]string{"finetune", "-scratch", "-data", missing}, missing},
		{[]string{"eval", "-model", notModel, "-data", data}, notModel},
		{[]string{"predict", "-model", filepath.Join(missing, "m.safetensors"), "x.png"}, "m.safetensors"},
		{[]string{"experiment", "-train", missing, "-test", data}, missing},
		{append([]string{"experiment", "-train", data, "-test", data, "-pool", missing, "-labels-per-class", "1"}, tiny...), missing},
		{[]string{"finetune", "-scratch", "-data", data, "-labels-per-class", "5"}, `has only 2 images`},
	}
	for _, tt := range tests {
		code, _, errOut := tessera(t, context.Background(), tt.args...)
		if code != exitFailure || !strings.Contains(errOut, tt.wantErr) {
			t.Errorf("tessera %v: code %d, stderr %q; want %d and a message naming %q", tt.args, code, errOut, exitFailure, tt.wantErr)
		}
	}
}

// TestEndToEnd pretrains, fine-tunes, evaluates and predicts on a small
// generated ImageFolder, as a user would.
func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	trainDir, testDir := writeImageFolder(t, 6, 1), writeImageFolder(t, 3, 2)
	os.WriteFile(filepath.Join(trainDir, "red", "broken.png"), []byte("not a png"), 0o644)
	work := t.TempDir()
	trunk := filepath.Join(work, "trunk.safetensors")
	model := filepath.Join(work, "model.safetensors")

	code, out, errOut := tessera(t, ctx, append([]string{"pretrain", "-data", trainDir, "-task", "rotation", "-samples", "256", "-batch", "32", "-out", trunk}, tiny...)...)
	if code != 0 {
		t.Fatalf("pretrain: code %d\n%s", code, errOut)
	}
	if !strings.Contains(errOut, "broken.png") || !strings.Contains(errOut, "18 unlabeled images") {
		t.Errorf("pretrain did not report the broken file and load the rest:\n%s", errOut)
	}
	if !strings.Contains(out, trunk) || !strings.Contains(errOut, "pretrain step 8/8") {
		t.Errorf("pretrain output:\n%s\n%s", out, errOut)
	}

	code, out, errOut = tessera(t, ctx, "finetune", "-model", trunk, "-data", trainDir, "-labels-per-class", "4",
		"-epochs", "6", "-batch", "8", "-out", model, "-test", testDir)
	if code != 0 {
		t.Fatalf("finetune: code %d\n%s", code, errOut)
	}
	if !strings.Contains(out, "test accuracy") || !strings.Contains(errOut, "finetune on 12 images of 3 classes") {
		t.Errorf("finetune output:\n%s\n%s", out, errOut)
	}

	code, out, errOut = tessera(t, ctx, "eval", "-model", model, "-data", testDir)
	if code != 0 {
		t.Fatalf("eval: code %d\n%s", code, errOut)
	}
	for _, want := range []string{"accuracy", "on 9 images", "confusion matrix", "green", "blue", "red"} {
		if !strings.Contains(out, want) {
			t.Errorf("eval output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = tessera(t, ctx, "eval", "-model", model, "-data", testDir, "-json")
	var ev struct {
		N         int
		Accuracy  float64
		Confusion [][]int
	}
	if code != 0 || json.Unmarshal([]byte(out), &ev) != nil || ev.N != 9 || len(ev.Confusion) != 3 {
		t.Errorf("eval -json: code %d, %+v from\n%s", code, ev, out)
	}

	// What the trunk learned, as files: 9 test images, 3 neighbours each
	// under each of the 2 trunks.
	insightDir := filepath.Join(work, "insight")
	code, out, errOut = tessera(t, ctx, "insight", "-model", trunk, "-data", testDir, "-k", "3", "-out", insightDir)
	if code != 0 || strings.Count(out, "class agreement of 3 nearest") != 2 || !strings.Contains(out, "random init") || !strings.Contains(out, "pretrained") {
		t.Errorf("insight: code %d\n%s\n%s", code, out, errOut)
	}
	for name, lines := range map[string]int{"neighbours.csv": 1 + 9*2*3, "featuremap.csv": 1 + 9} {
		data, err := os.ReadFile(filepath.Join(insightDir, name))
		if got := strings.Count(string(data), "\n"); err != nil || got != lines {
			t.Errorf("insight %s: %d lines (%v), want %d", name, got, err, lines)
		}
	}
	if f, err := os.Open(filepath.Join(insightDir, "filters.png")); err != nil {
		t.Error(err)
	} else if cfg, err := png.DecodeConfig(f); err != nil || cfg.Width != 8*4-1 || cfg.Height != 3 {
		t.Errorf("filters.png %dx%d (%v); want the tiny trunk's 8 filters of 3×3 in one row, 31×3", cfg.Width, cfg.Height, err)
	}
	if code, _, errOut := tessera(t, ctx, "insight", "-model", trunk, "-data", testDir, "-k", "9", "-out", insightDir); code != exitFailure || !strings.Contains(errOut, "need more than -k 9") {
		t.Errorf("insight with k ≥ images: code %d, %q", code, errOut)
	}

	img := filepath.Join(testDir, "green", "00.png")
	bad := filepath.Join(work, "bad.jpg")
	os.WriteFile(bad, []byte("nope"), 0o644)
	code, out, _ = tessera(t, ctx, "predict", "-model", model, img)
	if code != 0 || !strings.HasPrefix(out, img+": ") || strings.Count(out, "%") != 3 {
		t.Errorf("predict: code %d, output %q (want the top 3 with probabilities)", code, out)
	}
	code, out, errOut = tessera(t, ctx, "predict", "-model", model, "-top", "2", img, bad)
	if code != exitFailure || !strings.Contains(errOut, "bad.jpg") || strings.Count(out, "%") != 2 {
		t.Errorf("predict with a bad file: code %d, stdout %q, stderr %q", code, out, errOut)
	}
	// A pretrained trunk is not a classifier.
	code, _, errOut = tessera(t, ctx, "predict", "-model", trunk, img)
	if code != exitFailure || !strings.Contains(errOut, "not a classifier") {
		t.Errorf("predict with a trunk: code %d, %q", code, errOut)
	}
	// Scratch and linear probe.
	code, _, errOut = tessera(t, ctx, append([]string{"finetune", "-scratch", "-data", trainDir, "-epochs", "1", "-out", filepath.Join(work, "s.safetensors")}, tiny...)...)
	if code != 0 || !strings.Contains(errOut, "scratch on 18 images") {
		t.Errorf("finetune -scratch: code %d\n%s", code, errOut)
	}
	code, _, errOut = tessera(t, ctx, "finetune", "-model", trunk, "-mode", "linear", "-data", trainDir, "-epochs", "1", "-out", filepath.Join(work, "l.safetensors"))
	if code != 0 || !strings.Contains(errOut, "linear on 18 images") {
		t.Errorf("finetune -mode linear: code %d\n%s", code, errOut)
	}
	// Semi-supervised, from the trunk and from scratch, on every -data image as the pool.
	for _, from := range [][]string{{"-model", trunk}, {"-scratch"}} {
		args := append([]string{"finetune", "-mode", "semi", "-data", trainDir, "-labels-per-class", "2", "-epochs", "2", "-out", filepath.Join(work, "semi.safetensors")}, from...)
		if from[0] == "-scratch" {
			args = append(args, tiny...)
		}
		code, _, errOut = tessera(t, ctx, args...)
		if code != 0 || !strings.Contains(errOut, "semi on 6 images") {
			t.Errorf("finetune -mode semi %v: code %d\n%s", from, code, errOut)
		}
	}
}

func TestPretrainInterruptAndResume(t *testing.T) {
	data := writeImageFolder(t, 3, 3)
	work := t.TempDir()
	out := filepath.Join(work, "trunk.safetensors")
	ckpt := filepath.Join(work, "trunk.ckpt.safetensors")
	args := append([]string{"pretrain", "-data", data, "-samples", "192", "-batch", "32", "-out", out}, tiny...)

	// Interrupted before the first step: as if Ctrl-C came at once.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	code, _, errOut := tessera(t, cancelled, args...)
	if code != exitInterrupted || !strings.Contains(errOut, "checkpoint saved to "+ckpt) || !strings.Contains(errOut, "-resume") {
		t.Fatalf("interrupted pretrain: code %d\n%s", code, errOut)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("an interrupted run wrote the final model")
	}
	code, _, errOut = tessera(t, context.Background(), "pretrain", "-data", data, "-resume", ckpt, "-out", out, "-task", "jigsaw")
	if code != 0 || !strings.Contains(errOut, "-task ignored") || !strings.Contains(errOut, "pretraining on rotation") {
		t.Fatalf("resumed pretrain: code %d\n%s", code, errOut)
	}
	resumed, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	// The same run without interruption writes the same file.
	straight := filepath.Join(work, "straight.safetensors")
	args[len(args)-len(tiny)-1] = straight
	if code, _, errOut := tessera(t, context.Background(), args...); code != 0 {
		t.Fatalf("straight pretrain: code %d\n%s", code, errOut)
	}
	want, _ := os.ReadFile(straight)
	if !bytes.Equal(resumed, want) {
		t.Errorf("resumed run's model differs from the uninterrupted run's")
	}
	code, _, errOut = tessera(t, context.Background(), "pretrain", "-data", data, "-resume", out, "-out", out)
	if code != exitFailure || !strings.Contains(errOut, "not a pretraining checkpoint") {
		t.Errorf("resume from a final model: code %d %q", code, errOut)
	}
}

func TestExperimentCommand(t *testing.T) {
	trainDir, testDir := writeImageFolder(t, 4, 4), writeImageFolder(t, 2, 5)
	out := filepath.Join(t.TempDir(), "results")
	code, stdout, errOut := tessera(t, context.Background(), append([]string{"experiment", "-train", trainDir, "-test", testDir,
		"-labels-per-class", "2", "-tasks", "rotation", "-seeds", "2", "-samples", "64", "-batch", "32",
		"-epochs", "1", "-linear-epochs", "1", "-ft-batch", "4", "-knn", "3", "-out", out}, tiny...)...)
	if code != 0 {
		t.Fatalf("experiment: code %d\n%s", code, errOut)
	}
	if !strings.Contains(stdout, "| rotation |") || !strings.Contains(stdout, "scratch") {
		t.Errorf("experiment table:\n%s", stdout)
	}
	md, err := os.ReadFile(filepath.Join(out, "results.md"))
	if err != nil || !strings.Contains(string(md), "| rotation |") {
		t.Errorf("results.md: %v\n%s", err, md)
	}
	raw, err := os.ReadFile(filepath.Join(out, "results.json"))
	var res struct {
		Runs     []struct{ Seed int }
		Complete bool
	}
	if err != nil || json.Unmarshal(raw, &res) != nil || len(res.Runs) != 2*4 || !res.Complete {
		t.Errorf("results.json: %v, %d runs, complete %v", err, len(res.Runs), res.Complete)
	}
}
