# Sourced by run.sh and run-rotation.sh (from the repository root): the
# settings they share, CIFAR-10 unpacked if missing, and the CLI built with
# the AVX2 kernels into $WORK.
# CIFAR: where the JPEG ImageFolders are (unpacked from
# ../shared/data/cifar10-jpg.tar.gz if missing); OUT: where results go;
# WORK: scratch space.
export GOTOOLCHAIN=go1.27.3
CIFAR=${CIFAR:-/tmp/cifar}
OUT=${OUT:-experiments/cifar10}
WORK=${WORK:-/tmp/tessera-cifar10}
if [ ! -d "$CIFAR/train" ]; then
	mkdir -p "$CIFAR" && tar -xzf ../shared/data/cifar10-jpg.tar.gz -C "$CIFAR"
fi
mkdir -p "$WORK"
GOEXPERIMENT=simd go build -o "$WORK/tessera" ./cmd/tessera
