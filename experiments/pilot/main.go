// Command pilot runs one arm of the CIFAR-10 experiment with every lever
// exposed, for short pilot runs: optionally a scratch baseline, optionally a
// pretraining (or a trunk loaded from a previous pretraining), then a linear
// probe, fine-tuning at one or more trunk learning-rate scales, and kNN, all
// on the same K-per-class labeled images, evaluated on (a subset of) the
// test set. It prints one line per result.
//
//	go run ./experiments/pilot -train /tmp/cifar/train -test /tmp/cifar/test -task rotation -samples 60000
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
	"github.com/tessera-ssl/tessera/train"
)

func main() {
	trainDir := flag.String("train", "/tmp/cifar/train", "labeled training ImageFolder (all its images form the pool)")
	testDir := flag.String("test", "/tmp/cifar/test", "labeled test ImageFolder")
	testPerClass := flag.Int("test-per-class", 0, "test images per class (0 = all)")
	poolN := flag.Int("pool", 0, "pretraining pool size (0 = every training image)")
	perClass := flag.Int("labels-per-class", 100, "labeled images per class")
	seed := flag.Uint64("seed", 1, "seed of the labels, the pretraining and the downstream runs")
	widths := flag.String("width", "32,64,128", "trunk widths")
	convs := flag.Int("convs", 1, "convolutions per stage")
	bn := flag.Bool("bn", true, "batch norm in the trunk")
	task := flag.String("task", "", "pretext task to pretrain (empty: none)")
	samples := flag.Int("samples", 60000, "pretraining budget in pretext samples")
	batch := flag.Int("batch", 64, "pretext samples per step")
	lr := flag.Float64("lr", 0.05, "pretraining peak learning rate")
	wd := flag.Float64("wd", 5e-4, "pretraining weight decay")
	opt := flag.String("opt", "sgd", "pretraining optimizer")
	scratch := flag.Bool("scratch", false, "also train the scratch baseline")
	epochs := flag.Int("epochs", 30, "fine-tune and scratch epochs")
	ftLR := flag.Float64("ft-lr", 0.05, "fine-tune and scratch learning rate")
	ftWD := flag.Float64("ft-wd", 5e-4, "fine-tune and scratch weight decay")
	scales := flag.String("trunk-lr-scale", "0.2", "fine-tune trunk learning-rate scales, comma-separated")
	linEpochs := flag.Int("linear-epochs", 30, "linear-probe epochs")
	linLR := flag.Float64("linear-lr", 0.1, "linear-probe learning rate")
	knn := flag.Int("knn", 20, "k of kNN (0 skips it)")
	ema := flag.Float64("ema", 0, "EMA decay of the downstream weights (0 = off)")
	smooth := flag.Float64("smoothing", 0, "label smoothing of the labeled loss")
	semi := flag.Bool("semi", false, "also train semi-supervised (pseudo-labels) from the pretrained trunk")
	semiScratch := flag.Bool("semi-scratch", false, "also train semi-supervised from random weights")
	ratio := flag.Int("ratio", 7, "semi: unlabeled images per labeled image per step")
	threshold := flag.Float64("threshold", 0.95, "semi: pseudo-label confidence threshold")
	teacher := flag.String("teacher", "model", "semi: model or ema")
	flex := flag.Bool("flex", false, "semi: per-class thresholds (FlexMatch)")
	semiEpochs := flag.Int("semi-epochs", 0, "semi: labeled epochs (0 = -epochs)")
	skipFT := flag.Bool("skip-finetune", false, "skip the linear probe, fine-tuning and kNN after pretraining")
	evalEvery := flag.Int("eval-every", 0, "print test accuracy every this many downstream steps (0 = only at the end)")
	flag.Parse()

	start := time.Now()
	labeled, _, err := imageio.LoadImageFolder(*trainDir, 32)
	check(err)
	test, _, err := imageio.LoadImageFolder(*testDir, 32)
	check(err)
	if *testPerClass > 0 {
		test, err = train.KPerClass(test, *testPerClass, 999)
		check(err)
	}
	pool, poolLabels := labeled.Images, labeled.Labels
	if *poolN > 0 && *poolN < len(pool) {
		sub := labeled.Subset(perm(len(pool), *poolN))
		pool, poolLabels = sub.Images, sub.Labels
	}
	lab, err := train.KPerClass(labeled, *perClass, *seed)
	check(err)
	fmt.Printf("loaded %d train, %d test, pool %d, labeled %d in %s\n", labeled.Len(), test.Len(), len(pool), lab.Len(), time.Since(start).Round(time.Second))

	trunk := nn.DefaultTrunk()
	trunk.Widths, trunk.ConvsPerStage, trunk.BatchNorm = parseInts(*widths), *convs, *bn
	check(trunk.Validate())
	ctx := context.Background()

	down := func(name string, fc train.FinetuneConfig, pre *nn.Trunk) {
		t0 := time.Now()
		fc.Seed = *seed
		f, err := train.NewFinetuner(fc, pre, trunk, lab, pool)
		check(err)
		if fc.Mode == train.SemiSupervised {
			f.WatchPseudoLabels(poolLabels)
		}
		for f.Step() {
			if *evalEvery > 0 && f.StepsDone()%*evalEvery == 0 {
				p := f.Progress()
				fmt.Printf("  %s step %d/%d: test %.2f%% train acc %.1f%% pseudo %.0f%% right %.1f%% %.0f samples/s %s\n", name, f.StepsDone(), f.Steps(),
					100*train.Evaluate(f.Classifier(), test).Accuracy, 100*p.Accuracy, 100*p.PseudoLabeled, 100*p.PseudoAccuracy, p.SamplesPerSec, time.Since(t0).Round(time.Second))
			}
		}
		check(f.Err())
		ev := train.Evaluate(f.Classifier(), test)
		fmt.Printf("RESULT %s: test %.2f%% (train acc %.1f%%) %s\n", name, 100*ev.Accuracy, 100*f.Progress().Accuracy, time.Since(t0).Round(time.Second))
	}
	ft := train.DefaultFinetune(train.FineTune)
	ft.Epochs, ft.LR, ft.WeightDecay, ft.EMA, ft.Smoothing = *epochs, *ftLR, *ftWD, *ema, *smooth
	sm := ft
	sm.Mode = train.SemiSupervised
	sm.Semi.Ratio, sm.Semi.Threshold, sm.Semi.Teacher, sm.Semi.Flex = *ratio, *threshold, *teacher, *flex
	if *semiEpochs > 0 {
		sm.Epochs = *semiEpochs
	}
	if *scratch {
		sc := ft
		sc.Mode, sc.TrunkLRScale = train.Scratch, 1
		down("scratch", sc, nil)
	}
	if *semiScratch {
		down("semi(scratch)", sm, nil)
	}
	if *task == "" {
		return
	}
	pc := train.DefaultPretrain(*task, 32)
	pc.Trunk, pc.Samples, pc.Batch, pc.LR, pc.WeightDecay, pc.Optimizer, pc.Seed = trunk, *samples, *batch, *lr, *wd, *opt, *seed
	p, err := train.NewPretrainer(pc, pool)
	check(err)
	t0 := time.Now()
	check(p.Run(ctx, nil, time.Hour))
	pr := p.Progress()
	secs := time.Since(t0).Seconds()
	fmt.Printf("PRETRAIN %s: %d samples, %d steps, loss %.4f, pretext acc %.1f%%, %.0f s, %.1f samples/s\n",
		*task, *samples, p.Steps(), pr.Loss, 100*pr.Accuracy, secs, float64(*samples)/secs)
	if *semi {
		down(*task+" semi", sm, p.Model.Trunk)
	}
	if *skipFT {
		return
	}
	lc := train.DefaultFinetune(train.LinearProbe)
	lc.Epochs, lc.LR = *linEpochs, *linLR
	down(*task+" linear", lc, p.Model.Trunk)
	for _, s := range strings.Split(*scales, ",") {
		f, err := strconv.ParseFloat(s, 64)
		check(err)
		c := ft
		c.TrunkLRScale = f
		down(fmt.Sprintf("%s finetune(trunk×%g)", *task, f), c, p.Model.Trunk)
	}
	if *knn > 0 {
		ev := train.KNN(p.Model.Trunk, lab, test, *knn)
		fmt.Printf("RESULT %s knn: test %.2f%%\n", *task, 100*ev.Accuracy)
	}
}

func perm(n, k int) []int {
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i * n / k
	}
	return idx
}

func parseInts(s string) []int {
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		check(err)
		out = append(out, v)
	}
	return out
}

func check(err error) {
	if err != nil {
		log.SetFlags(0)
		log.Print(err)
		os.Exit(1)
	}
}
