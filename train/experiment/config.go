package experiment

import (
	"slices"
	"time"

	"github.com/tessera-ssl/tessera/pretext"
	"github.com/tessera-ssl/tessera/train"
)

// Config describes the full comparison: for every seed, a supervised
// baseline trained from scratch, and for every pretext task a pretrained
// trunk evaluated by linear probe, fine-tuning and kNN, all on the same
// labeled images and test set.
type Config struct {
	Tasks          []string             `json:"tasks"`
	Seeds          int                  `json:"seeds"`               // runs use seeds FirstSeed..FirstSeed+Seeds−1
	FirstSeed      int                  `json:"firstSeed,omitempty"` // 0 means 1
	LabelsPerClass int                  `json:"labelsPerClass"`      // labeled images per class drawn for each seed; 0 uses them all
	Pretrain       train.PretrainConfig `json:"pretrain"`            // Task and Seed are set per run
	FineTune       train.FinetuneConfig `json:"finetune"`            // Mode and Seed are set per run
	Linear         train.FinetuneConfig `json:"linear"`
	Scratch        train.FinetuneConfig `json:"scratch"` // same schedule as FineTune, trunk at the full rate
	KNN            int                  `json:"knn"`     // neighbours for the kNN probe; 0 skips it
	// Methods are the evaluations of every pretrained trunk, some of
	// MethodLinear, MethodFineTune, MethodKNN (when KNN > 0) and MethodSemi;
	// nil means linear, finetune and knn.
	Methods []string             `json:"methods,omitempty"`
	Semi    train.FinetuneConfig `json:"semi"` // MethodSemi's downstream run
	// SemiScratch also trains Semi from random weights (the unlabeled
	// images used downstream only, no pretraining), as task "".
	SemiScratch bool `json:"semiScratch,omitempty"`

	// Progress, when set, receives step-level progress of every training
	// run every ProgressEvery.
	Progress      train.Reporter `json:"-"`
	ProgressEvery time.Duration  `json:"-"`
}

// Default returns the comparison on imageSize px images with every
// registered pretext task (pretext.Names), 3 seeds and 100 labels per class.
func Default(imageSize int) Config {
	ft := train.DefaultFinetune(train.FineTune)
	sc := ft
	sc.Mode, sc.TrunkLRScale = train.Scratch, 1
	return Config{
		Tasks: pretext.Names(), Seeds: 3, LabelsPerClass: 100,
		Pretrain: train.DefaultPretrain("", imageSize), FineTune: ft, Linear: train.DefaultFinetune(train.LinearProbe), Scratch: sc,
		Semi: train.DefaultFinetune(train.SemiSupervised), KNN: 20, ProgressEvery: 5 * time.Second,
	}
}

// Evaluation methods of an experiment.
const (
	MethodScratch  = "scratch"
	MethodLinear   = "linear"
	MethodFineTune = "finetune"
	MethodKNN      = "knn"
	MethodSemi     = "semi"
)

// Methods lists the evaluations of a pretrained trunk.
var Methods = []string{MethodLinear, MethodFineTune, MethodKNN, MethodSemi}

// methods is the configured evaluations, in Methods' order.
func (c Config) methods() []string {
	if c.Methods == nil {
		return []string{MethodLinear, MethodFineTune, MethodKNN}
	}
	var out []string
	for _, m := range Methods {
		if slices.Contains(c.Methods, m) {
			out = append(out, m)
		}
	}
	return out
}
