package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"sync"
	"time"
)

// asset is what the server has computed about one version of one file: its
// strong entity tag and, for compressible files the build did not gzip itself,
// the gzip encoding. A version is identified by size and
// modification time; a rebuilt file gets a new asset.
type asset struct {
	size    int64
	modTime time.Time
	tried   bool          // whether the gzip encoding was asked for
	done    chan struct{} // closed once the fields below are set

	etag string // hex of the first 16 bytes of SHA-256(identity bytes)
	gzip []byte // nil unless compressed here and smaller than the file
	err  error
}

// etagFor returns the quoted entity tag of the representation with the given
// content coding ("" for identity). Each coding has its own tag, as RFC 9110
// §8.8.3 requires for different representations of one resource.
func (a *asset) etagFor(coding string) string {
	if coding == "" {
		return `"` + a.etag + `"`
	}
	return `"` + a.etag + "-" + coding + `"`
}

// assetCache holds one asset per file name. Memory is bounded by the site: at
// most one gzip encoding per compressible file, each smaller than the file.
type assetCache struct {
	level  int // gzip level, gzip.BestSpeed to gzip.BestCompression
	mu     sync.Mutex
	assets map[string]*asset
}

// get returns the asset of file name in fsys, whose current stat is info,
// computing it on first use. Concurrent callers for the same version wait for
// one computation. gzipHere asks for an in-memory gzip encoding; an asset
// computed without one is recomputed when it is asked for (the build's .gz
// sibling was removed or went stale).
func (c *assetCache) get(ctx context.Context, fsys fs.FS, name string, info fs.FileInfo, gzipHere bool) (*asset, error) {
	c.mu.Lock()
	if c.assets == nil {
		c.assets = make(map[string]*asset)
	}
	a := c.assets[name]
	if a != nil && a.size == info.Size() && a.modTime.Equal(info.ModTime()) && (a.tried || !gzipHere) {
		c.mu.Unlock()
		select {
		case <-a.done:
			return a, a.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	a = &asset{size: info.Size(), modTime: info.ModTime(), tried: gzipHere, done: make(chan struct{})}
	c.assets[name] = a
	c.mu.Unlock()

	level := 0
	if gzipHere {
		level = c.level
	}
	a.etag, a.gzip, a.err = digest(fsys, name, level)
	if a.err == nil && a.gzip != nil && int64(len(a.gzip)) >= a.size {
		a.gzip = nil // incompressible: identity is smaller
	}
	close(a.done)
	if a.err != nil { // do not remember failures; the next request retries
		c.mu.Lock()
		if c.assets[name] == a {
			delete(c.assets, name)
		}
		c.mu.Unlock()
	}
	return a, a.err
}

// digest reads file name once, returning the hex of the first 16 bytes of its
// SHA-256 and, if level is not 0, its gzip encoding at that level.
func digest(fsys fs.FS, name string, level int) (etag string, gz []byte, err error) {
	f, err := fsys.Open(name)
	if err != nil {
		return "", nil, fmt.Errorf("digest %s: %w", name, err)
	}
	defer f.Close()
	h := sha256.New()
	var dst io.Writer = h
	var buf bytes.Buffer
	var zw *gzip.Writer
	if level != 0 {
		zw, err = gzip.NewWriterLevel(&buf, level)
		if err != nil {
			panic("server: " + err.Error()) // New validated the level
		}
		dst = io.MultiWriter(h, zw)
	}
	if _, err := io.Copy(dst, f); err != nil {
		return "", nil, fmt.Errorf("digest %s: %w", name, err)
	}
	if zw != nil {
		if err := zw.Close(); err != nil {
			return "", nil, fmt.Errorf("gzip %s: %w", name, err)
		}
		gz = buf.Bytes()
	}
	return hex.EncodeToString(h.Sum(nil)[:16]), gz, nil
}

// Precompress computes now, rather than on first request, the entity tag and
// gzip encoding of every file in the site (hidden files and .gz/.br
// siblings excepted). It returns the number of files done; it stops early
// with ctx's error when ctx is cancelled.
func (h *Handler) Precompress(ctx context.Context) (int, error) {
	n := 0
	err := fs.WalkDir(h.site, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if isHidden(name) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() || strings.HasSuffix(name, ".gz") || strings.HasSuffix(name, ".br") {
			return nil
		}
		info, err := fs.Stat(h.site, name)
		if err != nil || !info.Mode().IsRegular() {
			return nil // e.g. a symlink leading out of the root: never served
		}
		gzipHere := typeOf(name).compressible
		if gz, _ := h.sibling(name+".gz", info.ModTime()); gz != nil {
			gz.Close()
			gzipHere = false
		}
		if _, err := h.assets.get(ctx, h.site, name, info, gzipHere); err != nil {
			return err
		}
		n++
		return nil
	})
	if err != nil {
		return n, fmt.Errorf("precompress: %w", err)
	}
	return n, nil
}
