// Package ui is Tessera's page: go-app components that render a State and
// turn clicks into protocol messages for the trainer worker. The State and
// its reducer (Apply) are plain Go, tested natively; the worker bridge is the
// only code that needs syscall/js (bridge_js.go).
//
// The files: app.go is the page component; view_<step>.go renders each step
// of the page in the order of steps.go (view_header, view_data with
// view_labeling, view_pretext, view_insight with view_featuremap,
// view_downstream, view_results with view_classify, view_keep) from the
// widgets in widgets.go, chart.go (line charts) and scatter.go (the
// feature map, zoomed by viewport.go, coloured by palette.go); reducer.go
// is the State and Apply, insight.go the state of what the trunk learned
// (neighbours, feature map, filters), settings.go the forms' values and
// the messages they start, tasks.go the task select's labels, labeling.go
// the selection of images to label by hand; bridge*.go is the link to the
// worker.
package ui
