package main

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/train"
)

// TestPretrainWorkers: -workers 2 and 3 train the model one worker trains,
// up to float rounding; an interrupted data-parallel run resumes exactly.
func TestPretrainWorkers(t *testing.T) {
	data := writeImageFolder(t, 3, 6)
	work := t.TempDir()
	pretrain := func(ctx context.Context, name string, extra ...string) (string, int, string) {
		out := filepath.Join(work, name)
		args := append([]string{"pretrain", "-data", data, "-samples", "192", "-batch", "32", "-out", out}, tiny...)
		code, _, errOut := tessera(t, ctx, append(args, extra...)...)
		return out, code, errOut
	}
	load := func(path string) []float32 {
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		m, _, err := train.LoadModel(path, raw)
		if err != nil {
			t.Fatal(err)
		}
		var all []float32
		for _, nt := range m.Tensors() {
			all = append(all, nt.Data...)
		}
		return all
	}
	one, code, errOut := pretrain(context.Background(), "one.safetensors")
	if code != 0 {
		t.Fatalf("pretrain: code %d\n%s", code, errOut)
	}
	want := load(one)
	for _, k := range []string{"2", "3"} {
		out, code, errOut := pretrain(context.Background(), "k"+k+".safetensors", "-workers", k)
		if code != 0 || !strings.Contains(errOut, k+" data-parallel workers") || !strings.Contains(errOut, "pretrain step 6/6") {
			t.Fatalf("-workers %s: code %d\n%s", k, code, errOut)
		}
		got := load(out)
		worst := 0.0
		for i := range want {
			worst = max(worst, math.Abs(float64(got[i])-float64(want[i]))/(1+math.Abs(float64(want[i]))))
		}
		if !(worst <= 1e-5) { // see train's shardWeightTol
			t.Errorf("-workers %s: weights differ from one worker's by %.2g", k, worst)
		}
	}

	// Interrupted at once, then resumed with two workers: the same file.
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	out, code, errOut := pretrain(cancelled, "r.safetensors", "-workers", "2")
	if code != exitInterrupted {
		t.Fatalf("interrupted -workers 2: code %d\n%s", code, errOut)
	}
	ckpt := strings.TrimSuffix(out, ".safetensors") + ".ckpt.safetensors"
	code, _, errOut = tessera(t, context.Background(), "pretrain", "-data", data, "-resume", ckpt, "-out", out, "-workers", "2")
	if code != 0 || strings.Contains(errOut, "ignored") {
		t.Fatalf("resumed -workers 2: code %d\n%s", code, errOut)
	}
	straight, _, _ := pretrain(context.Background(), "s.safetensors", "-workers", "2")
	a, _ := os.ReadFile(out)
	b, _ := os.ReadFile(straight)
	if !bytes.Equal(a, b) {
		t.Errorf("resumed -workers 2 run differs from the straight one")
	}

	for _, bad := range []struct{ workers, msg string }{{"0", "-workers 0"}, {"9", "only 8 images"}} {
		if _, code, errOut := pretrain(context.Background(), "bad.safetensors", "-workers", bad.workers); code != exitUsage || !strings.Contains(errOut, bad.msg) {
			t.Errorf("-workers %s: code %d %q", bad.workers, code, errOut)
		}
	}
}
