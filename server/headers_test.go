package server

import "testing"

func TestIsHashedName(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"web/app.3f9a1c2b.wasm", true},
		{"/web/style.0123456789abcdef0123456789abcdef.css", true},
		{"app.min.deadbeef.js", true},
		{"web/app.3f9a1c2b.wasm.gz", true},
		{"web/app.3f9a1c2b.wasm.br", true},
		{"web/app.wasm", false},
		{"index.html", false},
		{"app-worker.js", false},
		{"web/app.3f9a1c2.wasm", false},  // 7 hex digits: too short
		{"web/app.3F9A1C2B.wasm", false}, // uppercase is not our hash format
		{"web/app.3f9a1c2g.wasm", false}, // not hex
		{"web/3f9a1c2b.wasm", false},     // no name before the hash
		{"web/app.3f9a1c2b", false},      // no extension after the hash
		{"web/app-3f9a1c2b.wasm", false}, // the separator is a dot
	}
	for _, tt := range tests {
		if got := IsHashedName(tt.path); got != tt.want {
			t.Errorf("IsHashedName(%q) = %v, want %v", tt.path, got, tt.want)
		}
		wantCC := CacheRevalidate
		if tt.want {
			wantCC = CacheImmutable
		}
		if got := cacheControl(tt.path); got != wantCC {
			t.Errorf("cacheControl(%q) = %q, want %q", tt.path, got, wantCC)
		}
	}
}

func TestTypeOf(t *testing.T) {
	tests := []struct {
		path         string
		mime         string
		compressible bool
	}{
		{"web/app.wasm", "application/wasm", true},
		{"app.js", "text/javascript; charset=utf-8", true},
		{"manifest.webmanifest", "application/manifest+json", true},
		{"index.html", "text/html; charset=utf-8", true},
		{"web/app.CSS", "text/css; charset=utf-8", true},
		{"web/demo/weights.bin", "application/octet-stream", true},
		{"web/icon.svg", "image/svg+xml", true},
		{"web/icon.png", "image/png", false},
		{"web/photo.jpg", "image/jpeg", false},
		{"web/app.wasm.gz", "application/gzip", false},
		{"web/unknown.xyz", "application/octet-stream", false},
		{"LICENSE", "application/octet-stream", false},
	}
	for _, tt := range tests {
		got := typeOf(tt.path)
		if got.mime != tt.mime || got.compressible != tt.compressible {
			t.Errorf("typeOf(%q) = %+v, want {%s %v}", tt.path, got, tt.mime, tt.compressible)
		}
	}
}
