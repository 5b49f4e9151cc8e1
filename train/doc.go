// Package train trains and evaluates Tessera's models on decoded images
// (imageio.Dataset, []*pretext.Image): self-supervised pretraining of the
// trunk on a pretext task (Pretrainer), the downstream classifier — linear
// probe, fine-tuning, semi-supervised pseudo-labeling, or from scratch
// (Finetuner) — evaluation (Evaluate, KNN, Predict), checkpoints (SaveModel,
// LoadModel), and the data-parallel shards and exchange (LocalGroup,
// Exchanger) that let several workers train one model. Split and KPerClass
// draw the labeled subsets an experiment uses. The comparison over seeds
// is package train/experiment; reading files is package imageio's job.
package train
