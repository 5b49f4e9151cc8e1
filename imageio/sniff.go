package imageio

import (
	"bytes"
	"errors"
	"fmt"
)

// Formats DecodeImage understands, recognized by their first bytes.
const (
	formatJPEG = "JPEG"
	formatPNG  = "PNG"
	formatGIF  = "GIF"
	formatWebP = "WebP"
)

// HeadBytes is how many first bytes of a file CheckHead needs to name any
// format it knows (an SVG's <svg> tag may come after an XML prolog and
// comments).
const HeadBytes = 1024

// CheckHead names the image format a file's first bytes (up to HeadBytes;
// the whole file if shorter) belong to, or says why the file cannot be
// read: it is empty, is an image in a format Tessera does not read (BMP,
// TIFF, HEIC/HEIF, AVIF, JPEG XL, SVG, PDF), or is no image at all. The
// loaders and the browser's trainer accept exactly the formats it names, and
// word their refusals with its errors. The file's name plays no part.
func CheckHead(head []byte) (format string, err error) {
	if len(head) == 0 {
		return "", errors.New("empty file (0 bytes)")
	}
	if format = sniff(head); format != "" {
		return format, nil
	}
	if other := sniffUnsupported(head); other != "" {
		return "", fmt.Errorf("%s images are not supported (only JPEG, PNG, GIF and WebP); convert it to JPEG or PNG", other)
	}
	return "", fmt.Errorf("not a JPEG, PNG, GIF or WebP image (content starts %q)", head[:min(len(head), 12)])
}

// LooksComplete tells whether a file of the given format (as CheckHead
// names it) ends as a whole file does: a JPEG with its end-of-image marker
// FF D9, a PNG with its IEND chunk. tail is the file's last bytes (at least
// 12). Other formats, and files with data after the end (some cameras
// append a trailer), report false only for JPEG and PNG: a caller then
// decodes the whole file to tell a trailer from a truncation.
func LooksComplete(format string, tail []byte) bool {
	switch format {
	case formatJPEG:
		return bytes.HasSuffix(tail, []byte{0xff, 0xd9})
	case formatPNG:
		return bytes.HasSuffix(tail, []byte("IEND\xae\x42\x60\x82"))
	}
	return true
}

// sniff names the image format data starts with, or returns "" if it is none
// of JPEG, PNG, GIF and WebP.
func sniff(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return formatJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return formatPNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return formatGIF
	case len(data) >= 16 && string(data[:4]) == "RIFF" && string(data[8:15]) == "WEBPVP8":
		return formatWebP
	}
	return ""
}

// sniffUnsupported names common image formats Tessera cannot read, so that
// their files get a helpful message; "" if data is none of them.
func sniffUnsupported(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte("BM")) && len(data) >= 26:
		return "BMP"
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return "TIFF"
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		switch string(data[8:12]) {
		case "heic", "heix", "hevc", "heim", "heis", "mif1", "msf1":
			return "HEIC/HEIF"
		case "avif", "avis":
			return "AVIF"
		}
	case bytes.HasPrefix(data, []byte("\x00\x00\x00\x0cJXL ")), bytes.HasPrefix(data, []byte("\xff\x0a")):
		return "JPEG XL"
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return "PDF"
	case isSVG(data):
		return "SVG"
	}
	return ""
}

// isSVG tells whether data starts as an SVG document: optional byte-order
// mark and white space, then an <svg> element, possibly after an XML
// declaration, comments or a doctype within the first HeadBytes.
func isSVG(data []byte) bool {
	data = data[:min(len(data), HeadBytes)]
	text := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	if !bytes.HasPrefix(text, []byte("<")) {
		return false
	}
	if bytes.HasPrefix(text, []byte("<svg")) {
		return true
	}
	if !bytes.HasPrefix(text, []byte("<?xml")) && !bytes.HasPrefix(text, []byte("<!")) {
		return false
	}
	return bytes.Contains(bytes.ToLower(text), []byte("<svg"))
}
