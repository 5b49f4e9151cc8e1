package train

import (
	"math/rand/v2"
	"testing"

	"github.com/tessera-ssl/tessera/pretext"
)

// BenchmarkPretrainStep measures one optimizer step of each pretext task
// with the default trunk (32, 64, 128) on 32×32 images, batch 64; the
// samples/s metric is what the progress display reports.
func BenchmarkPretrainStep(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	pool := make([]*pretext.Image, 256)
	for i := range pool {
		pool[i] = pipeScene(rng, 32)
	}
	for _, task := range pretext.Names() {
		b.Run(task, func(b *testing.B) {
			cfg := DefaultPretrain(task, 32)
			cfg.Samples = 1 << 30
			p, err := NewPretrainer(cfg, pool)
			if err != nil {
				b.Fatal(err)
			}
			p.Step() // allocate
			b.ResetTimer()
			for b.Loop() {
				p.Step()
			}
			b.ReportMetric(float64(b.N*p.images*p.Task.SamplesPerImage())/b.Elapsed().Seconds(), "samples/s")
		})
	}
}

// BenchmarkFinetuneStep measures one fine-tuning step (batch 64, 32×32,
// default trunk, augmentation on).
func BenchmarkFinetuneStep(b *testing.B) {
	d := pipeLabeled(64, 1)
	rng := rand.New(rand.NewPCG(2, 2))
	for i := range d.Images {
		d.Images[i] = pipeScene(rng, 32)
	}
	cfg := DefaultFinetune(Scratch)
	cfg.Epochs = 1 << 20
	f, err := NewFinetuner(cfg, nil, DefaultPretrain("", 32).Trunk, d, nil)
	if err != nil {
		b.Fatal(err)
	}
	f.Step()
	b.ResetTimer()
	for b.Loop() {
		f.Step()
	}
	b.ReportMetric(float64(b.N*f.batch)/b.Elapsed().Seconds(), "samples/s")
}
