package ui

// The task select of the pretext step (view_pretext.go) takes its values
// (pretext task names) and labels from Tasks, and SetSetting accepts only
// its values: the one place the UI lists the pretext tasks.

// Tasks lists the pretext tasks: select value and label.
var Tasks = [][2]string{
	{"rotation", "Rotation — predict 0°, 90°, 180° or 270°"},
	{"jigsaw", "Jigsaw — put shuffled tiles back in order"},
	{"colorization", "Colorization — predict colours from gray"},
	{"context", "Relative position — where is the neighbour patch?"},
}
