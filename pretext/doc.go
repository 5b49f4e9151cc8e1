// Package pretext turns unlabeled images into labeled training examples —
// the pretext tasks of self-supervised learning — and holds the image
// operations those tasks and the downstream classifier need.
//
// # Images and network inputs
//
// An Image is 8-bit RGB with explicit width and height. The operations are
// Resize (area filter when shrinking, bilinear when enlarging, per axis,
// exact in integers; Resample is the same resampler reading any picture row
// by row, which is how package imageio scales decoded files), FitSquare,
// Crop, Rotate90, the augmentations of the downstream classifier
// (RandomCropPad, HorizontalFlip, StrongAugment), CIE Lab conversion
// (RGBToLab, LabToRGB) and ToStd for display. Network inputs are 3-channel
// CHW float32: ToCHW normalises whole images per channel with fixed
// statistics (the ImageNet mean and standard deviation), FromCHW inverts it,
// NormalizeTile normalises a tile on its own. All randomness comes from the
// *rand.Rand passed in (math/rand/v2, PCG), so a seed fixes every result on
// every platform.
//
// # Tasks
//
// A Task (see its documentation) makes, from one image and a random source,
// SamplesPerImage samples of Tiles inputs of TileSize² pixels each, and
// Positions labels in [0, Classes). Render draws a sample (and a
// prediction), ClassName names a class and Caption describes a prediction,
// for the UI. Photos should be resized to the working size by the pipeline
// (FitSquare does it otherwise, more slowly).
//
// # The registry
//
// Each task's file registers a Spec (registry.go): its name, the UI's
// label, its rank in every list, the head the trainer puts on the trunk
// (WholeImage, TileSet or PerCell) and its constructor. Everything outside
// this package — the trainer, the experiment runner, the CLI, the browser
// worker and the UI — lists tasks with All or Names and builds them with
// New(name, imageSize, cell), cell being the side of one cell of the
// trunk's feature map. Adding a task is one file (the type, its methods and
// its Register call) plus its test.
//
// Rotation (Gidaris, Singh & Komodakis, "Unsupervised Representation
// Learning by Predicting Image Rotations", ICLR 2018). The image is turned by
// 0°, 90°, 180° or 270° and the network predicts which (4 classes). As in
// RotNet, all four rotations of an image are made together and go in the same
// batch, so the classes differ only in orientation; quarter turns are exact
// pixel permutations and leave no artefacts. Suits every size from 32 px up;
// at 32 px it is the strongest of the four tasks for a small network.
//
// Jigsaw (Noroozi & Favaro, "Unsupervised Learning of Visual
// Representations by Solving Jigsaw Puzzles", ECCV 2016). The image is cut
// into a grid of tiles, shuffled by one of P permutations, and the network
// predicts which permutation (P classes). The permutation set is chosen
// greedily for large Hamming distances between its members
// (Permutations, cached; the same set for a seed everywhere). Each tile is
// cut from its cell at a random position with a gap to its neighbours, is
// normalised on its own, the puzzle is made gray 30% of the time and each
// colour channel is displaced by a pixel or two: the network cannot match
// edges, brightness or chromatic aberration and has to recognise content.
// Tiles go through the shared trunk one at a time and a head classifies their
// concatenated features. A 2×2 grid (all 24 permutations, 12 px tiles at
// 32 px) suits 32–63 px images; a 3×3 grid (100 permutations by default,
// tiles of 15 px at 64 px, 24 px at 96 px) suits 64 px and up.
//
// Colorization (Zhang, Isola & Efros, "Colorful Image Colorization", ECCV
// 2016). The network sees the gray image of the same lightness L* and
// predicts the colour (ab) of each cell of a coarse grid (4×4 or 8×8), as a
// class among the ab bins of a quantised, in-gamut colour plane (bins of 20
// give 76 classes). Predicting a distribution over bins instead of
// regressing ab avoids the gray average of multimodal colours; the loss can
// be rebalanced towards rare colours (RebalanceWeights), and predictions are
// shown by their annealed mean (DecodeAnnealedMean). Works at 32 px (4×4
// grid); 64 px and up allow an 8×8 grid.
//
// Context, relative patch position (Doersch, Gupta & Efros, "Unsupervised
// Visual Representation Learning by Context Prediction", ICCV 2015). A patch
// from the centre of a 3×3 grid and one from a neighbouring cell go through
// the shared trunk; the network predicts the neighbour's position (8
// classes). Patches are separated by a gap and jittered, and — following the
// paper's fix for chromatic aberration — all but one random colour channel
// of each patch are replaced by faint noise. Patches must be at least 12 px,
// so images under 48 px are upsampled to 48 px (patches of 12 px); the task
// is at its best at 96 px and up, where patches reach 24 px.
//
// # Speed
//
// Sample generation is allocation-free for images already at the working
// size; BenchmarkTask reports samples per second for each task and size.
package pretext
