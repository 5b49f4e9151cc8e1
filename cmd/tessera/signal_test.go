//go:build unix

package main

import (
	"bufio"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSIGINTSavesCheckpoint builds the command, starts a long pretraining
// run, sends it SIGINT once it is stepping, and checks that it exits with
// code 130 after writing a checkpoint that -resume accepts.
func TestSIGINTSavesCheckpoint(t *testing.T) {
	work := t.TempDir()
	bin := filepath.Join(work, "tessera")
	goBin := "go" // the go command that runs this test, when it says where it is
	if root := os.Getenv("GOROOT"); root != "" {
		goBin = filepath.Join(root, "bin", "go")
	}
	if out, err := exec.Command(goBin, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data := writeImageFolder(t, 3, 6)
	out := filepath.Join(work, "trunk.safetensors")
	ckpt := filepath.Join(work, "trunk.ckpt.safetensors")
	cmd := exec.Command(bin, append([]string{"pretrain", "-data", data, "-samples", "100000000", "-batch", "8", "-out", out}, tiny...)...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(stderr)
	var log []string
	for lines.Scan() {
		log = append(log, lines.Text())
		if strings.HasPrefix(lines.Text(), "pretraining on rotation") {
			time.Sleep(200 * time.Millisecond) // let it take a few steps
			if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
				t.Fatal(err)
			}
		}
	}
	err = cmd.Wait()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
		t.Fatalf("after SIGINT: %v, want exit code %d\n%s", err, exitInterrupted, strings.Join(log, "\n"))
	}
	if !strings.Contains(strings.Join(log, "\n"), "checkpoint saved to "+ckpt) {
		t.Errorf("no checkpoint message:\n%s", strings.Join(log, "\n"))
	}
	raw, err := os.ReadFile(ckpt)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(raw[:min(len(raw), 4096)]), `\"step\":`) {
		t.Errorf("the checkpoint has no training state")
	}
}
