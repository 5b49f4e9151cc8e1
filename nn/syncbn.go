package nn

// SyncBatchNorm sets Sync on every BatchNorm2D of the model's trunk and head
// (nil clears it), making their train-mode statistics those of the whole
// batch across the replicas of a data-parallel run; see BatchNorm2D. Every
// layer gets the same function: it is called in the layers' order in the
// forward pass and in reverse order in the backward pass, the same sequence
// in every replica.
func SyncBatchNorm(m *Model, sync func(sums []float64)) {
	for _, s := range []*Stack{&m.Trunk.Stack, &m.Head.Stack} {
		for _, n := range s.Layers {
			if bn, ok := n.Layer.(*BatchNorm2D); ok {
				bn.Sync = sync
			}
		}
	}
}
