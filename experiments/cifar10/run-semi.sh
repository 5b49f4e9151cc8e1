#!/bin/sh
# Reproduces experiments/cifar10/semi/results.{json,md}: rotation
# pretraining, then semi-supervised training (pseudo-labels on the unlabeled
# images), against the scratch baseline trained with the same downstream
# recipe (200 epochs, weight EMA 0.999), with 100 labels per class, 3 seeds,
# all 10,000 test images; plus the semi-supervised arm from random weights
# (seed 1 only: it is the expensive ablation). One process per seed (every
# run depends only on its seed), merged by experiments/merge.
# Run from the repository root:  sh experiments/cifar10/run-semi.sh
set -eu
. experiments/cifar10/setup.sh
FLAGS="-labels-per-class 100 -width 16,32,64 -samples 200000 -epochs 200 -ema 0.999 -trunk-lr-scale 1
  -semi-ratio 4 -semi-threshold 0.8 -methods linear,finetune,knn,semi -knn 20 -tasks rotation -seeds 1"
pids=""
for s in 1 2 3; do
	mkdir -p "$WORK/semi-$s"
	extra=""
	[ "$s" = 1 ] && extra="-semi-scratch"
	"$WORK/tessera" experiment -train "$CIFAR/train" -test "$CIFAR/test" $FLAGS -first-seed $s $extra \
		-out "$WORK/semi-$s" >"$WORK/semi-$s/log" 2>&1 &
	pids="$pids $!"
done
for p in $pids; do wait $p; done
go run ./experiments/merge -out "$OUT/semi" "$WORK/semi-1/results.json" "$WORK/semi-2/results.json" "$WORK/semi-3/results.json"
