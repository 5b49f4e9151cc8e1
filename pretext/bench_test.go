package pretext

import (
	"fmt"
	"testing"
)

// BenchmarkTask measures sample generation, reporting samples/s (rotation
// makes 4 samples per image). Compare with the training step's throughput at
// the same image size: generation should be ≥ 10× faster.
func BenchmarkTask(b *testing.B) {
	for _, name := range Names() {
		for _, size := range []int{32, 64, 96} {
			b.Run(fmt.Sprintf("%s/%d", name, size), func(b *testing.B) {
				task, err := New(name, size, testCell)
				if err != nil {
					b.Fatal(err)
				}
				img := blobImage(size, size, 1)
				x, y := sampleBuffers(task)
				rng := newRNG(1)
				b.ResetTimer()
				for b.Loop() {
					task.Make(img, rng, x, y)
				}
				b.ReportMetric(float64(b.N*task.SamplesPerImage())/b.Elapsed().Seconds(), "samples/s")
			})
		}
	}
}

// BenchmarkPermutations measures building a greedy set (uncached).
func BenchmarkPermutations(b *testing.B) {
	all := allPerms(9)
	for _, p := range []int{100, 1000} {
		b.Run(fmt.Sprint(p), func(b *testing.B) {
			for b.Loop() {
				greedyPerms(all, 9, p, 1)
			}
		})
	}
}

func BenchmarkResize(b *testing.B) {
	img := blobImage(256, 192, 1)
	for _, sz := range []int{32, 64, 400} {
		b.Run(fmt.Sprint(sz), func(b *testing.B) {
			for b.Loop() {
				Resize(img, sz, sz)
			}
		})
	}
}

func BenchmarkToCHW(b *testing.B) {
	img := blobImage(32, 32, 1)
	x := make([]float32, 3*32*32)
	for b.Loop() {
		ToCHW(img, x)
	}
}
