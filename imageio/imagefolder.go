package imageio

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/tessera-ssl/tessera/pretext"
)

// imageExts are extensions of files meant to be images: their failures are
// reported. Formats Tessera cannot read are listed so that their files are
// reported as unsupported rather than ignored.
var imageExts = map[string]bool{
	".jpg": true, ".jpeg": true, ".jpe": true, ".jfif": true, ".png": true, ".gif": true, ".webp": true,
	".bmp": true, ".tif": true, ".tiff": true, ".heic": true, ".heif": true, ".avif": true, ".jxl": true,
	".ico": true, ".svg": true,
}

// ErrNotInClass is the reason given for an image directly in a labeled
// folder, outside every class subfolder.
var ErrNotInClass = errors.New("image is not inside a class folder (the chosen folder's subfolders are the classes); skipped")

func looksLikeImage(name string) bool { return imageExts[strings.ToLower(filepath.Ext(name))] }

func hidden(name string) bool { return strings.HasPrefix(name, ".") || name == "__MACOSX" }

// File is an image file held in memory, e.g. one chosen in a browser's
// folder picker.
type File struct {
	Path string // slash-separated, relative to the dataset root: "cat/001.jpg"
	Data []byte
}

// LoadImageFolder loads a labeled dataset laid out as one subfolder per
// class: dir/cat/*.jpg, dir/dog/*.jpg. Classes are the subfolders, hidden
// ones excepted, sorted by name (byte order); label i is Classes[i]. Images
// are found recursively inside each class folder, taken in lexical path order
// (so a folder always gives the same dataset), decoded in parallel and made
// size×size as by DecodeImage. Names are paths relative to dir ("cat/001.jpg").
//
// Which files count, here and in the other loaders:
//   - hidden files and folders (name starting with "."; this covers macOS
//     "._x.jpg" resource forks and .DS_Store) and "__MACOSX" folders are
//     skipped silently;
//   - a file whose content is JPEG, PNG, GIF or WebP is loaded, whatever its
//     name;
//   - a file named like an image (.jpg .jpeg .png .gif .webp, and .bmp .tif
//     .heic .avif … which are unsupported) that cannot be decoded is reported
//     as a FileError and skipped;
//   - any other file (README.txt, labels.csv, Thumbs.db) is skipped silently.
//
// Files that fail are returned as FileErrors with their full path, and the
// rest load; an image file directly in dir (outside any class) is reported
// too, and so is a class left with no images (it keeps its label). The error
// is only for a problem with the whole folder: it cannot be read, has no class
// folders, or yields no image at all.
func LoadImageFolder(dir string, size int) (*Dataset, []FileError, error) {
	if size <= 0 {
		return nil, nil, fmt.Errorf("load %s: image size %d must be positive", dir, size)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, nil, fmt.Errorf("load image folder: %w", err)
	}
	var classes []string
	var loose []FileError
	for _, e := range entries {
		if hidden(e.Name()) {
			continue
		}
		full := filepath.Join(dir, e.Name())
		fi, err := os.Stat(full) // follows a symlinked class folder
		if err != nil {
			loose = append(loose, FileError{Path: full, Err: err})
			continue
		}
		if fi.IsDir() {
			classes = append(classes, e.Name())
		} else if looksLikeImage(e.Name()) {
			loose = append(loose, FileError{Path: full, Err: ErrNotInClass})
		}
	}
	if len(classes) == 0 {
		return nil, loose, fmt.Errorf("load image folder %s: no class subfolders (expected %s/<class>/<images>)", dir, dir)
	}
	slices.Sort(classes)
	var srcs []source
	for c, name := range classes {
		files, errs := listFiles(filepath.Join(dir, name))
		loose = append(loose, errs...)
		for _, f := range files {
			srcs = append(srcs, diskSource(dir, path.Join(name, f), c))
		}
	}
	return assemble(dir, dir, srcs, classes, size, loose)
}

// LoadUnlabeledDir loads every image under dir, recursively, as an
// unlabeled pool of size×size images; file handling as in LoadImageFolder.
func LoadUnlabeledDir(dir string, size int) (*Dataset, []FileError, error) {
	if size <= 0 {
		return nil, nil, fmt.Errorf("load %s: image size %d must be positive", dir, size)
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, nil, fmt.Errorf("load image pool: %w", err)
	} else if !fi.IsDir() {
		return nil, nil, fmt.Errorf("load image pool %s: not a directory", dir)
	}
	files, loose := listFiles(dir)
	srcs := make([]source, len(files))
	for i, f := range files {
		srcs[i] = diskSource(dir, f, -1)
	}
	return assemble(dir, dir, srcs, nil, size, loose)
}

// ImageFolderFromFiles is LoadImageFolder for files in memory: the first
// element of each Path is its class. Files not inside a class folder are
// reported if they look like images; FileError paths are the given Paths.
func ImageFolderFromFiles(files []File, size int) (*Dataset, []FileError, error) {
	if size <= 0 {
		return nil, nil, fmt.Errorf("load uploaded folder: image size %d must be positive", size)
	}
	files = sortedVisible(files)
	var loose []FileError
	var classes []string
	for _, f := range files {
		class, ok := ClassOf(f.Path)
		if !ok {
			if looksLikeImage(f.Path) {
				loose = append(loose, FileError{Path: f.Path, Err: ErrNotInClass})
			}
			continue
		}
		classes = append(classes, class)
	}
	// Sorted paths do not give sorted classes: "cat-big/x" sorts before
	// "cat/x" ('-' < '/'), so sort the names themselves.
	slices.Sort(classes)
	classes = slices.Compact(classes)
	if len(classes) == 0 {
		return nil, loose, errors.New("load uploaded folder: no class subfolders (expected <class>/<images>)")
	}
	var srcs []source
	for _, f := range files {
		if class, ok := ClassOf(f.Path); ok {
			c, _ := slices.BinarySearch(classes, class)
			srcs = append(srcs, memSource(f, c))
		}
	}
	return assemble("uploaded folder", "", srcs, classes, size, loose)
}

// ClassOf is the class of a file in a labeled folder, from its slash path
// relative to the folder: the first folder level ("cat/small/1.jpg" → "cat":
// deeper folders belong to their class), or ok = false for a file directly
// in the folder ("1.jpg"). The browser's uploads follow the same rule.
func ClassOf(rel string) (class string, ok bool) {
	class, _, ok = strings.Cut(rel, "/")
	return class, ok && class != ""
}

// UnlabeledFromFiles is LoadUnlabeledDir for files in memory.
func UnlabeledFromFiles(files []File, size int) (*Dataset, []FileError, error) {
	if size <= 0 {
		return nil, nil, fmt.Errorf("load uploaded images: image size %d must be positive", size)
	}
	files = sortedVisible(files)
	srcs := make([]source, len(files))
	for i, f := range files {
		srcs[i] = memSource(f, -1)
	}
	return assemble("uploaded images", "", srcs, nil, size, nil)
}

// sortedVisible returns the files sorted by Path, without hidden ones.
func sortedVisible(files []File) []File {
	var out []File
	for _, f := range files {
		if !slices.ContainsFunc(strings.Split(f.Path, "/"), hidden) {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return out
}

// listFiles returns the regular files under dir, recursively, as sorted
// slash-separated paths relative to dir, skipping hidden ones; unreadable
// subfolders are reported.
func listFiles(dir string) ([]string, []FileError) {
	var files []string
	var errs []FileError
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real // WalkDir does not follow a symlinked root
	}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			errs = append(errs, FileError{Path: p, Err: err})
			if e != nil && e.IsDir() && p != dir {
				return fs.SkipDir
			}
			return nil
		}
		if p != dir && hidden(e.Name()) {
			if e.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if e.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	if err != nil { // WalkDir passes every error to the callback, which never fails
		errs = append(errs, FileError{Path: dir, Err: err})
	}
	slices.Sort(files)
	return files, errs
}

// source is one candidate image: where it comes from and its label.
type source struct {
	name  string // relative slash path, for Dataset.Names
	path  string // as reported in FileErrors
	label int    // −1 when unlabeled
	// read returns the file's bytes, or nil, nil when the file is not an
	// image and should be skipped silently.
	read func() ([]byte, error)
}

func diskSource(root, rel string, label int) source {
	full := filepath.Join(root, filepath.FromSlash(rel))
	return source{name: rel, path: full, label: label, read: func() ([]byte, error) { return readImageFile(full) }}
}

func memSource(f File, label int) source {
	return source{name: f.Path, path: f.Path, label: label, read: func() ([]byte, error) {
		if !looksLikeImage(f.Path) && sniff(f.Data) == "" {
			return nil, nil
		}
		if f.Data == nil {
			return []byte{}, nil
		}
		return f.Data, nil
	}}
}

// readImageFile reads a file; one whose name does not look like an image is
// only read whole if its first bytes are an image's.
func readImageFile(p string) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !looksLikeImage(p) {
		head := make([]byte, 16)
		n, _ := io.ReadFull(f, head)
		if sniff(head[:n]) == "" {
			return nil, nil
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
	}
	if fi.Size() > MaxFileBytes {
		return nil, fmt.Errorf("file is %d MB, more than the %d MB limit", fi.Size()>>20, MaxFileBytes>>20)
	}
	data, err := io.ReadAll(f)
	if err == nil && data == nil {
		data = []byte{}
	}
	return data, err
}

// assemble decodes the sources in parallel (runtime.NumCPU() workers) and
// builds the dataset in source order; errs collects failures. what names the
// collection in errors; root ("" in memory) prefixes class folders in them.
func assemble(what, root string, srcs []source, classes []string, size int, errs []FileError) (*Dataset, []FileError, error) {
	type result struct {
		img  *pretext.Image
		skip bool
		err  error
	}
	res := make([]result, len(srcs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.NumCPU(), len(srcs)) {
		wg.Go(func() {
			for i := range next {
				data, err := srcs[i].read()
				switch {
				case err != nil:
					res[i].err = err
				case data == nil:
					res[i].skip = true
				default:
					res[i].img, res[i].err = decodeSquare(data, size)
				}
			}
		})
	}
	for i := range srcs {
		next <- i
	}
	close(next)
	wg.Wait()

	d := &Dataset{Classes: classes}
	if classes != nil {
		d.Labels = []int{}
	}
	for i, r := range res {
		switch {
		case r.err != nil:
			errs = append(errs, FileError{Path: srcs[i].path, Err: r.err})
		case !r.skip:
			d.Images = append(d.Images, r.img)
			d.Names = append(d.Names, srcs[i].name)
			if classes != nil {
				d.Labels = append(d.Labels, srcs[i].label)
			}
		}
	}
	if d.Len() == 0 {
		if len(srcs) == 0 {
			return nil, errs, fmt.Errorf("load %s: no image files found", what)
		}
		return nil, errs, fmt.Errorf("load %s: no loadable images among %d files", what, len(srcs))
	}
	for c, n := range d.CountPerClass() {
		if n == 0 {
			errs = append(errs, FileError{Path: filepath.Join(root, classes[c]), Err: errors.New("class folder has no loadable images")})
		}
	}
	return d, errs, nil
}
