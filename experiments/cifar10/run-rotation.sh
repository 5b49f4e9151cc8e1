#!/bin/sh
# The two follow-up runs of the CIFAR-10 comparison, rotation only (the best
# task of experiments/cifar10/results.md), 3 seeds, same trunk and labels:
#   rotation-500k/: pretraining budget 500k samples instead of 150k (just under
#                   15 minutes of one browser worker), 30 downstream epochs;
#   rotation-60ep/: 150k samples, 60 downstream epochs (scratch and
#                   fine-tuning) instead of 30.
# Run from the repository root:  sh experiments/cifar10/run-rotation.sh
# CIFAR, OUT, WORK: see setup.sh.
set -eu
. experiments/cifar10/setup.sh
mkdir -p "$OUT/rotation-500k" "$OUT/rotation-60ep"
FLAGS="-train $CIFAR/train -test $CIFAR/test -seeds 3 -labels-per-class 100 -width 16,32,64 -trunk-lr-scale 1 -knn 20 -tasks rotation"
"$WORK/tessera" experiment $FLAGS -samples 500000 -out "$OUT/rotation-500k" &
a=$!
"$WORK/tessera" experiment $FLAGS -samples 150000 -epochs 60 -out "$OUT/rotation-60ep" &
b=$!
wait $a
wait $b
