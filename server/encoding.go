package server

import (
	"strconv"
	"strings"
)

// Content codings the server can send besides identity.
const (
	codingGzip   = "gzip"
	codingBrotli = "br"
)

// acceptQuality returns the quality value (0 to 1) the Accept-Encoding header
// value gives coding, following RFC 9110 §12.5.3: an explicit entry wins, else
// "*" applies, else the coding is not acceptable (0). "x-gzip" counts as gzip.
// Malformed q values count as 0.
func acceptQuality(header, coding string) float64 {
	explicit, star := -1.0, -1.0
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name == "x-gzip" {
			name = codingGzip
		}
		if name != coding && name != "*" {
			continue
		}
		q := parseQuality(params)
		if name == "*" {
			star = max(star, q)
		} else {
			explicit = max(explicit, q)
		}
	}
	switch {
	case explicit >= 0:
		return explicit
	case star >= 0:
		return star
	}
	return 0
}

// parseQuality reads "q=<value>" from the parameters after a coding name; no
// q parameter means 1.
func parseQuality(params string) float64 {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || q < 0 || q > 1 {
			return 0
		}
		return q
	}
	return 1
}

// chooseCoding picks the coding for a response given the Accept-Encoding
// header and which encoded variants exist: brotli if accepted at least as much
// as gzip, else gzip, else "" (identity).
func chooseCoding(header string, haveBrotli, haveGzip bool) string {
	if header == "" {
		return ""
	}
	qbr, qgz := 0.0, 0.0
	if haveBrotli {
		qbr = acceptQuality(header, codingBrotli)
	}
	if haveGzip {
		qgz = acceptQuality(header, codingGzip)
	}
	switch {
	case qbr > 0 && qbr >= qgz:
		return codingBrotli
	case qgz > 0:
		return codingGzip
	}
	return ""
}
