package ui

// The task select of the pretext step: its values (pretext task names) and
// labels, and SetSetting's list of valid tasks.

// Tasks lists the pretext tasks: select value and label.
var Tasks = [][2]string{
	{"rotation", "Rotation — predict 0°, 90°, 180° or 270°"},
	{"jigsaw", "Jigsaw — put shuffled tiles back in order"},
	{"colorization", "Colorization — predict colours from gray"},
	{"context", "Relative position — where is the neighbour patch?"},
}
