package protocol

import "testing"

func TestVisibleName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cat/001.jpg", "cat/001.jpg"},
		{"кошка/猫 🐱.png", "кошка/猫 🐱.png"},
		{"photo\u202Egnp.exe", `photo\u202Egnp.exe`},
		{"a\u2066b\u2069c\u200Fd\u061C", `a\u2066b\u2069c\u200Fd\u061C`},
		{"zero\u200Bwidth\uFEFF", `zero\u200Bwidth\uFEFF`},
		{"tab\there\nnew", `tab\u0009here\u000Anew`},
		{"line\u2028sep", `line\u2028sep`},
		{"tag\U000E0041", `tag\U000E0041`},
		{"bad\xffbyte", `bad\xFFbyte`},
		{"عربي.jpg", "عربي.jpg"}, // right-to-left letters are text, not controls
	}
	for _, tc := range tests {
		if got := VisibleName(tc.in); got != tc.want {
			t.Errorf("VisibleName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
