package imageio

// FileError reports one input file that could not be used, and why.
// Loaders collect them and go on with the other files; DecodeImage returns
// its failures as a FileError value too.
type FileError struct {
	Path string // the file as the user named it: an OS path, or a path within an uploaded folder
	Err  error  // what is wrong with it
}

// Error is "path: reason".
func (e FileError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the reason.
func (e FileError) Unwrap() error { return e.Err }
