package train

import (
	"slices"
	"strings"
	"testing"

	"github.com/tessera-ssl/tessera/imageio"
	"github.com/tessera-ssl/tessera/nn"
)

// pretrained returns a briefly pretrained rotation trunk.
func pretrained(t *testing.T) *Pretrainer {
	t.Helper()
	cfg := pipePretrain("rotation")
	cfg.Samples = 5 * 32
	p, err := NewPretrainer(cfg, pipePool(16, 5))
	if err != nil {
		t.Fatal(err)
	}
	for p.Step() {
	}
	return p
}

func TestTransferCopiesTrunkExactly(t *testing.T) {
	p := pretrained(t)
	src := snapshotTensors(p.Model.Trunk.Tensors("trunk"))
	data := pipeLabeled(4, 1)
	for _, mode := range []string{FineTune, LinearProbe} {
		f, err := NewFinetuner(pipeFinetune(mode), p.Model.Trunk, nn.TrunkConfig{}, data, nil)
		if err != nil {
			t.Fatal(err)
		}
		if name := sameTensors(t, src, f.Model.Trunk.Tensors("trunk")); name != "" {
			t.Errorf("%s: transferred trunk differs from the pretrained one at %s", mode, name)
		}
		for f.Step() {
		}
		if name := sameTensors(t, src, p.Model.Trunk.Tensors("trunk")); name != "" {
			t.Fatalf("%s: training the classifier changed the pretrained trunk (%s): it must be a copy", mode, name)
		}
		changed := sameTensors(t, src, f.Model.Trunk.Tensors("trunk"))
		switch {
		case mode == LinearProbe && changed != "":
			t.Errorf("linear probe changed the trunk at %s", changed)
		case mode == FineTune && changed == "":
			t.Errorf("fine-tuning left the trunk unchanged")
		}
	}
}

func TestLinearProbeTrainsOnlyTheHead(t *testing.T) {
	p := pretrained(t)
	f, err := NewFinetuner(pipeFinetune(LinearProbe), p.Model.Trunk, nn.TrunkConfig{}, pipeLabeled(4, 2), nil)
	if err != nil {
		t.Fatal(err)
	}
	trunk := snapshotTensors(f.Model.Trunk.Tensors("trunk")) // weights and batch-norm statistics
	head := snapshotTensors(f.Model.Head.Tensors("head"))
	for f.Step() {
	}
	if name := sameTensors(t, trunk, f.Model.Trunk.Tensors("trunk")); name != "" {
		t.Errorf("linear probe changed trunk tensor %s", name)
	}
	if name := sameTensors(t, head, f.Model.Head.Tensors("head")); name == "" {
		t.Errorf("linear probe did not train the head")
	}
}

// batches records the inputs and labels of every step of a run.
func batches(t *testing.T, f *Finetuner) (xs [][]float32, ys [][]int) {
	t.Helper()
	for f.Step() {
		xs = append(xs, slices.Clone(f.x.Data))
		ys = append(ys, slices.Clone(f.y))
	}
	return xs, ys
}

func TestScratchBaselineSeesTheSameImages(t *testing.T) {
	p := pretrained(t)
	data := pipeLabeled(5, 3)
	cfgFT := pipeFinetune(FineTune)
	ft, err := NewFinetuner(cfgFT, p.Model.Trunk, nn.TrunkConfig{}, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	cfgS := pipeFinetune(Scratch)
	cfgS.TrunkLRScale = 1
	sc, err := NewFinetuner(cfgS, nil, p.Config.Trunk, data, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sc.Model.Trunk.NumParams() != ft.Model.Trunk.NumParams() || !slices.Equal(sc.Model.Trunk.Config.Widths, ft.Model.Trunk.Config.Widths) {
		t.Fatalf("scratch trunk %+v differs in architecture from %+v", sc.Model.Trunk.Config, ft.Model.Trunk.Config)
	}
	if sameTensors(t, snapshotTensors(p.Model.Trunk.Tensors("trunk")), sc.Model.Trunk.Tensors("trunk")) == "" {
		t.Errorf("scratch trunk holds the pretrained weights")
	}
	if name := sameTensors(t, snapshotTensors(ft.Model.Head.Tensors("head")), sc.Model.Head.Tensors("head")); name != "" {
		t.Errorf("scratch and fine-tune heads start differently at %s", name)
	}
	if sc.Steps() != ft.Steps() {
		t.Fatalf("scratch takes %d steps, fine-tune %d", sc.Steps(), ft.Steps())
	}
	xa, ya := batches(t, ft)
	xb, yb := batches(t, sc)
	for i := range xa {
		if !slices.Equal(xa[i], xb[i]) || !slices.Equal(ya[i], yb[i]) {
			t.Fatalf("step %d: scratch and fine-tune trained on different batches", i)
		}
	}
	// Augmentation is on: the same image is not fed twice the same way.
	if slices.Equal(xa[0], xa[len(xa)/2]) {
		t.Errorf("two batches are identical")
	}
}

func TestFinetuneLearnsSeparableClasses(t *testing.T) {
	train, test := pipeLabeled(12, 4), pipeLabeled(8, 5)
	cfg := pipeFinetune(Scratch)
	cfg.Epochs = 8
	f, err := NewFinetuner(cfg, nil, pipeTrunk(), train, nil)
	if err != nil {
		t.Fatal(err)
	}
	before := Evaluate(f.Model, test)
	for f.Step() {
	}
	after := Evaluate(f.Model, test)
	t.Logf("test accuracy %.2f → %.2f after %d steps", before.Accuracy, after.Accuracy, f.Steps())
	if after.Accuracy < 0.9 {
		t.Errorf("accuracy %.2f on colour-tinted classes; want ≥ 0.9", after.Accuracy)
	}
}

func TestFinetunerErrors(t *testing.T) {
	data := pipeLabeled(2, 6)
	unlabeled := &imageio.Dataset{Images: data.Images}
	oneClass := data.Subset([]int{0, 3})
	oneClass.Classes = oneClass.Classes[:1]
	mixed := pipeLabeled(2, 6)
	mixed.Images[1] = pipePool(1, 1)[0].Crop(0, 0, 8, 8)
	tests := []struct {
		name    string
		cfg     FinetuneConfig
		trunk   *nn.Trunk
		data    *imageio.Dataset
		wantErr string
	}{
		{"unknown mode", FinetuneConfig{Mode: "fancy", Epochs: 1, Batch: 1, LR: 1}, nil, data, "unknown mode"},
		{"no trunk", pipeFinetune(FineTune), nil, data, "needs a pretrained trunk"},
		{"unlabeled", pipeFinetune(Scratch), nil, unlabeled, "no labeled images"},
		{"one class", pipeFinetune(Scratch), nil, oneClass, "at least 2 classes"},
		{"zero epochs", FinetuneConfig{Mode: Scratch, Batch: 1, LR: 1}, nil, data, "must be positive"},
		{"mixed sizes", pipeFinetune(Scratch), nil, mixed, "image 1 is 8×8"},
	}
	for _, tt := range tests {
		_, err := NewFinetuner(tt.cfg, tt.trunk, pipeTrunk(), tt.data, nil)
		if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
			t.Errorf("%s: error %v, want one containing %q", tt.name, err, tt.wantErr)
		}
	}
}
