// Package imageio turns image files into the pixels Tessera trains on: it
// decodes JPEG, PNG, GIF and WebP files, turns them upright by their EXIF
// orientation, scales them to the working size, loads folders of them as a
// Dataset, and reads and writes the bundled demo dataset.
//
// It sits between pretext and train: it imports pretext for the Image type
// and for the one resampler, pretext.Resample (pretext's augmentations resize
// with it too), and train imports it for the datasets it trains on. Splitting
// a labeled Dataset for an experiment (train.Split, train.KPerClass) is
// training protocol and lives in train.
//
// # From a file to pixels
//
// DecodeImage(name, data, size) makes one size×size image from a file's
// bytes; name only labels errors:
//
//  1. The format is sniffed from the first bytes, never the name. BMP, TIFF,
//     HEIC, AVIF and JPEG XL are recognized and refused with a message that
//     says so; a build with -tags nogifwebp (the browser's, whose worker
//     decodes with the browser's own decoders) refuses GIF and WebP the same
//     way.
//  2. The header is checked before any pixel memory is allocated: at most
//     MaxPixels pixels (loaders read at most MaxFileBytes per file).
//  3. Go's decoder for the format yields an image.Image; GIF animations give
//     their first frame.
//  4. The EXIF orientation tag (JPEG APP1, PNG eXIf, WebP EXIF chunk) says
//     how the stored pixels must turn to be upright, as browsers show them.
//     The crop — the largest centered square of the upright picture — is
//     mapped back onto the stored pixels.
//  5. pretext.Resample reads that rectangle row by row, each row converted
//     to 8-bit RGB from the decoder's color model (YCbCr, gray, paletted,
//     CMYK, RGBA, NRGBA, …) with transparent pixels composited over white,
//     and averages it down by exact area (or enlarges it bilinearly) to
//     size×size: a large photo is never held in RGB at full size.
//  6. The small result is turned upright.
//
// Every failure is a FileError naming the file: an empty file, an unknown
// or unsupported format, a zero-sized or too large image, truncated or
// corrupt data. DecodeImageShortSide is the same without the crop, scaling
// the shorter side to a given length.
//
// # Folders and uploads
//
// LoadImageFolder reads an ImageFolder, dir/<class>/<images>, as a labeled
// Dataset (classes sorted by name); LoadUnlabeledDir reads every image under
// a directory as an unlabeled pool; ImageFolderFromFiles and
// UnlabeledFromFiles do the same for files held in memory (File, as a
// browser's folder picker gives them). Hidden files and other non-images are
// skipped silently, files that should be images but fail are returned as
// FileErrors, and the rest load, decoded in parallel, in lexical path order.
//
// # The demo dataset
//
// web/demo holds a CIFAR-10 subset as sprite sheets plus manifest.json
// (DemoManifest). cmd/mkdemo writes it with PackDemoSheet and
// EncodeDemoSheet; LoadDemo (from an fs.FS) and DecodeDemo (from fetched
// bytes, in the browser) read it into a DemoSet.
package imageio
