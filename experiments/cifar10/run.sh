#!/bin/sh
# Reproduces experiments/cifar10/results.{json,md}: the CIFAR-10 comparison
# (100 labels per class, 3 seeds, scratch vs. every pretext task by linear
# probe, fine-tuning and kNN, tested on all 10,000 test images).
# Run from the repository root:  sh experiments/cifar10/run.sh
# CIFAR, OUT, WORK: see setup.sh. The tasks are split over two processes
# (one per core); each trains the same scratch baseline (same seeds, labels
# and batches), and experiments/merge joins the two result files.
set -eu
. experiments/cifar10/setup.sh
mkdir -p "$WORK/a" "$WORK/b"
FLAGS="-seeds 3 -labels-per-class 100 -width 16,32,64 -samples 150000 -trunk-lr-scale 1 -knn 20"
"$WORK/tessera" experiment -train "$CIFAR/train" -test "$CIFAR/test" $FLAGS -tasks rotation,jigsaw -out "$WORK/a" >"$WORK/a/log" 2>&1 &
a=$!
"$WORK/tessera" experiment -train "$CIFAR/train" -test "$CIFAR/test" $FLAGS -tasks colorization,context -out "$WORK/b" >"$WORK/b/log" 2>&1 &
b=$!
wait $a
wait $b
go run ./experiments/merge -out "$OUT" "$WORK/a/results.json" "$WORK/b/results.json"
