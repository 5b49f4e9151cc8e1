package ui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
	"github.com/tessera-ssl/tessera/wasm/protocol"
)

// A picked folder's name is the root of its files; dropped files and
// several dropped folders have none.
func TestUploadRoot(t *testing.T) {
	tests := []struct {
		names     []string
		oneFolder bool
		want      string
	}{
		{[]string{"animals/cat/1.jpg", "animals/dog/small/2.jpg"}, true, "animals/"},
		{[]string{"animals/readme.png"}, true, "animals/"},
		{[]string{"cat/1.jpg", "dog/2.jpg"}, false, ""},
		{[]string{"cat/1.jpg", "dog/2.jpg"}, true, ""}, // not one folder after all
		{[]string{"1.jpg"}, true, ""},
		{nil, true, ""},
	}
	for _, tc := range tests {
		if got := uploadRoot(tc.names, tc.oneFolder); got != tc.want {
			t.Errorf("uploadRoot(%q, %v) = %q, want %q", tc.names, tc.oneFolder, got, tc.want)
		}
	}
}

// Names the user gave are escaped and isolated wherever the page shows
// them; duplicates, warnings and every file error are shown.
func TestDataShowsNamesSafely(t *testing.T) {
	a := &App{}
	a.OnInit()
	s := a.State()
	var errs []protocol.FileError
	for i := range 12 {
		errs = append(errs, protocol.FileError{Name: fmt.Sprintf("bad%02d.png", i), Reason: "not an image"})
	}
	errs = append(errs, protocol.FileError{Name: "invoice\u202Egnp.exe", Reason: "not a JPEG, PNG, GIF or WebP image"})
	s.Apply(&protocol.DataLoaded{Classes: []string{"c\u202Eat", "dog"}, Labeled: 3, PerClass: []int{1, 2},
		FileErrors: errs, Duplicates: 3, Warnings: []string{"class “dog” has only 2 labeled images"},
		Thumbs: []protocol.Thumb{{Class: 0, PNG: []byte{1}}}})
	html := app.HTMLString(a.renderData(s))
	if strings.ContainsRune(html, '\u202E') {
		t.Error("a raw U+202E reached the page")
	}
	for _, want := range []string{
		`<bdi>invoice\u202Egnp.exe</bdi>`, `<bdi>c\u202Eat</bdi>`,
		"3 duplicates skipped", "class “dog” has only 2 labeled images", "13 files could not be used", "8 more", "bad11.png",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("data step lacks %q", want)
		}
	}
}

// Classes without test images show "–", and the card says what its
// figures rest on.
func TestResultsShowTheirBasis(t *testing.T) {
	a := &App{}
	a.OnInit()
	s := a.State()
	s.Apply(&protocol.Results{Classes: []string{"cat", "dog", "eel"}, AccPretrained: 1, AccScratch: 1,
		PerClassPretrained: []float64{1, 0, 0}, PerClassScratch: []float64{1, 0, 0}, TestPerClass: []int{1, 0, 0},
		Confusion: [][]int{{1, 0, 0}, {0, 0, 0}, {0, 0, 0}}})
	html := app.HTMLString(a.renderResults(s))
	if got := testid(t, html, "test-basis"); got != "These figures rest on 1 held-out image (one image is 100.0 points); 2 classes have no test image and no accuracy (–)." {
		t.Errorf("basis %q", got)
	}
	if n := strings.Count(html, ">–</td>"); n != 4 {
		t.Errorf("%d cells show –, want 4 (dog and eel, both arms)", n)
	}
}

// Replacing the user's images or model asks first, and says what would be
// lost; with nothing to lose it does not ask.
func TestReplacingAsks(t *testing.T) {
	s := NewState()
	if q := s.demoLoses() + s.forgetLoses() + s.uploadLoses("m.safetensors"); q != "" {
		t.Errorf("a fresh page asks %q", q)
	}
	s.Apply(&protocol.DataLoaded{Source: "demo", Classes: []string{"a", "b"}, Labeled: 4})
	if q := s.demoLoses(); q != "" {
		t.Errorf("the demo asks before replacing itself: %q", q)
	}
	s.Apply(&protocol.DataLoaded{Source: "upload", Classes: make([]string, 8), Unlabeled: 40, Labeled: 41})
	if q := s.demoLoses(); q != "The demo replaces your 81 images (8 classes). Load it anyway?" {
		t.Errorf("demo asks %q", q)
	}
	s.Model = &protocol.ModelState{Pretrained: true, Classifier: true}
	s.Results = &protocol.Results{}
	if q := s.forgetLoses(); q != "This forgets the trained model, the results, and the copy saved in this browser (the loaded images stay). It cannot be undone." {
		t.Errorf("forget asks %q", q)
	}
	if q := s.uploadLoses("m.safetensors"); !strings.HasPrefix(q, "m.safetensors replaces the current fine-tuned classifier") {
		t.Errorf("upload asks %q", q)
	}
	// The question waits in its step; only "yes" acts.
	a := &App{}
	a.OnInit()
	ran := 0
	a.ask(SecKeep, "Really?", "Do it", func() { ran++ })
	if ran != 0 || !strings.Contains(app.HTMLString(a.renderConfirm(SecKeep)), "Really?") || a.renderConfirm(SecData) != nil {
		t.Fatal("the question is not pending in its step")
	}
	a.ask(SecKeep, "", "", func() { ran++ })
	if ran != 1 {
		t.Error("with nothing to lose the action did not run at once")
	}
}
