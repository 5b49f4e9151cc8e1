// Package experiments holds the scripts and results of Tessera's experiments
// on real images; its commands merge (joins split runs), budget (a
// recipe's browser cost) and pilot (one arm, for short runs) live in
// sub-directories. The package itself is this benchmark, which measures the
// pretraining and fine-tuning throughput of the trunks the experiments
// consider, natively and in WebAssembly, to turn a browser time budget into
// a budget in samples:
//
//	go test ./experiments -run '^$' -bench . -benchtime 10x
//	GOOS=js GOARCH=wasm GOEXPERIMENT=simd go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./experiments -run '^$' -bench . -benchtime 10x
package experiments

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

// trunks are the trunk widths the pilots compare (one conv per stage, batch norm).
var trunks = [][]int{{16, 32, 64}, {32, 64, 128}, {64, 128, 256}}

func trunkOf(widths []int) nn.TrunkConfig {
	t := nn.DefaultTrunk()
	t.Widths = widths
	return t
}

// noise returns n random 32×32 images (throughput does not depend on content).
func noise(n int) []*pretext.Image {
	rng := rand.New(rand.NewPCG(7, 7))
	out := make([]*pretext.Image, n)
	for i := range out {
		img := pretext.NewImage(32, 32)
		for j := range img.Pix {
			img.Pix[j] = uint8(rng.IntN(256))
		}
		out[i] = img
	}
	return out
}

// twoClasses is n noise images labeled alternately a and b.
func twoClasses(n int) *imageio.Dataset {
	d := &imageio.Dataset{Images: noise(n), Labels: make([]int, n), Classes: []string{"a", "b"}}
	for i := range d.Labels {
		d.Labels[i] = i % 2
	}
	return d
}

// BenchmarkPretrain measures pretraining steps (batch 64 samples) of every
// task on every trunk; samples/s counts pretext samples as the budget does.
func BenchmarkPretrain(b *testing.B) {
	pool := noise(256)
	for _, w := range trunks {
		for _, task := range pretext.Names() {
			b.Run(fmt.Sprintf("%v/%s", w, task), func(b *testing.B) {
				cfg := train.DefaultPretrain(task, 32)
				cfg.Trunk, cfg.Samples = trunkOf(w), 1<<30
				p, err := train.NewPretrainer(cfg, pool)
				if err != nil {
					b.Fatal(err)
				}
				p.Step() // allocate
				b.ResetTimer()
				for b.Loop() {
					p.Step()
				}
				b.ReportMetric(float64(b.N*p.Progress().Samples/(p.StepsDone()))/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}

// BenchmarkFinetune measures fine-tuning steps (batch 64, augmentation on).
func BenchmarkFinetune(b *testing.B) {
	d := twoClasses(64)
	for _, w := range trunks {
		b.Run(fmt.Sprint(w), func(b *testing.B) {
			cfg := train.DefaultFinetune(train.Scratch)
			cfg.Epochs = 1 << 20
			f, err := train.NewFinetuner(cfg, nil, trunkOf(w), d, nil)
			if err != nil {
				b.Fatal(err)
			}
			f.Step()
			b.ResetTimer()
			for b.Loop() {
				f.Step()
			}
			b.ReportMetric(float64(b.N*cfg.Batch)/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkSemi measures semi-supervised steps (batch 64 labeled, Ratio 4
// unlabeled per labeled) at the two ends of the pseudo-label rate: no
// unlabeled image confident (threshold 1: the teacher's inference only) and
// every one (threshold 0: inference plus a training pass on every strong
// view). A run whose rate averages r costs t(0) + r·(t(1) − t(0)) per step.
// steps/s counts optimizer steps.
func BenchmarkSemi(b *testing.B) {
	d := twoClasses(64)
	pool := noise(512)
	for _, w := range trunks[:2] {
		for _, th := range []float64{1, 0} {
			b.Run(fmt.Sprintf("%v/threshold=%g", w, th), func(b *testing.B) {
				cfg := train.DefaultFinetune(train.SemiSupervised)
				cfg.Epochs, cfg.EMA = 1<<20, 0.999
				cfg.Semi.Ratio, cfg.Semi.Threshold = 4, th
				f, err := train.NewFinetuner(cfg, nil, trunkOf(w), d, pool)
				if err != nil {
					b.Fatal(err)
				}
				f.Step()
				b.ResetTimer()
				for b.Loop() {
					f.Step()
				}
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "steps/s")
			})
		}
	}
}
