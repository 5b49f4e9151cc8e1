package protocol

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// VisibleName is a user-given name (a file path, a class folder) as the page
// and the trainer's messages show it: every character that is invisible or
// changes the direction of the text around it is written as its escape,
// \uXXXX (or \UXXXXXXXX beyond the BMP), and each byte that is not UTF-8 as
// \xNN. Those are the control characters (Unicode category Cc), the format
// characters (Cf: the bidirectional embeddings, overrides and isolates
// U+202A–U+202E and U+2066–U+2069, the marks U+200E, U+200F, U+061C, zero
// width U+200B–U+200D, U+2060, U+FEFF, the tag characters …) and the line
// and paragraph separators (Zl, Zp). Everything else, letters of any
// script, spaces and emoji included, is kept, so a name with none of them
// is returned unchanged. "photo\u202Egnp.exe" stays "photo\u202Egnp.exe"
// on screen instead of reading "photoexe.png".
func VisibleName(name string) string {
	if !needsEscape(name) {
		return name
	}
	var b strings.Builder
	for i := 0; i < len(name); {
		r, size := utf8.DecodeRuneInString(name[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02X`, name[i])
		case hiddenRune(r) && r > 0xFFFF:
			fmt.Fprintf(&b, `\U%08X`, r)
		case hiddenRune(r):
			fmt.Fprintf(&b, `\u%04X`, r)
		default:
			b.WriteString(name[i : i+size])
		}
		i += size
	}
	return b.String()
}

func needsEscape(name string) bool {
	if !utf8.ValidString(name) {
		return true
	}
	return strings.IndexFunc(name, hiddenRune) >= 0
}

// hiddenRune tells whether r is shown escaped by VisibleName.
func hiddenRune(r rune) bool {
	return unicode.In(r, unicode.Cc, unicode.Cf, unicode.Zl, unicode.Zp)
}
