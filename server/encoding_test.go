package server

import "testing"

func TestAcceptQuality(t *testing.T) {
	tests := []struct {
		header, coding string
		want           float64
	}{
		{"", "gzip", 0},
		{"gzip", "gzip", 1},
		{"GZIP", "gzip", 1},
		{"x-gzip", "gzip", 1},
		{"gzip, deflate, br", "br", 1},
		{"deflate", "gzip", 0},
		{"gzip;q=0", "gzip", 0},
		{"gzip; q=0.5", "gzip", 0.5},
		{"gzip;Q=0.25", "gzip", 0.25},
		{"*", "br", 1},
		{"*;q=0.3, gzip;q=0", "gzip", 0}, // explicit beats *
		{"*;q=0.3, gzip;q=0", "br", 0.3}, // * applies to the rest
		{"gzip;q=abc", "gzip", 0},        // malformed: not acceptable
		{"gzip;q=2", "gzip", 0},          // out of range
		{"identity, gzip;q=0.9", "gzip", 0.9},
	}
	for _, tt := range tests {
		if got := acceptQuality(tt.header, tt.coding); got != tt.want {
			t.Errorf("acceptQuality(%q, %q) = %v, want %v", tt.header, tt.coding, got, tt.want)
		}
	}
}

func TestChooseCoding(t *testing.T) {
	tests := []struct {
		header         string
		haveBr, haveGz bool
		want           string
	}{
		{"gzip, deflate, br, zstd", true, true, "br"},
		{"gzip, deflate, br, zstd", false, true, "gzip"},
		{"gzip, deflate, br, zstd", false, false, ""},
		{"br", false, true, ""},
		{"gzip;q=1, br;q=0.5", true, true, "gzip"},
		{"gzip;q=0.5, br;q=0.5", true, true, "br"},
		{"gzip;q=0", false, true, ""},
		{"*", false, true, "gzip"},
		{"identity", true, true, ""},
		{"", true, true, ""},
	}
	for _, tt := range tests {
		if got := chooseCoding(tt.header, tt.haveBr, tt.haveGz); got != tt.want {
			t.Errorf("chooseCoding(%q, br=%v, gz=%v) = %q, want %q", tt.header, tt.haveBr, tt.haveGz, got, tt.want)
		}
	}
}
