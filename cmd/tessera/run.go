package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1   // the command ran and failed: unreadable data, bad model file
	exitUsage       = 2   // the command line is wrong
	exitInterrupted = 130 // Ctrl-C (128 + SIGINT); a checkpoint was saved
)

// env is what a subcommand may touch.
type env struct {
	ctx            context.Context
	stdout, stderr io.Writer
}

// command is a subcommand: its name, one line for the overview, and its body.
type command struct {
	name, summary string
	run           func(e *env, args []string) error
}

func commands() []command {
	return []command{
		{"pretrain", "learn features from unlabeled images with a pretext task", runPretrain},
		{"finetune", "train a classifier on labeled images (fine-tune, linear probe, or from scratch)", runFinetune},
		{"eval", "measure a classifier on labeled images: accuracy, per class, confusion", runEval},
		{"predict", "classify image files, with probabilities", runPredict},
		{"experiment", "compare scratch training with every pretext task over several seeds", runExperiment},
		{"insight", "what a trunk learned: neighbours, feature map, filters, kNN against its random init", runInsight},
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `Tessera: self-supervised learning for image classification with few labels.

Usage: tessera <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-11s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'tessera <command> -h' for a command's flags.
Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted (checkpoint saved).
`)
}

// usageError is a mistake on the command line (exit code 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errInterrupted reports a run stopped by Ctrl-C after saving its state.
var errInterrupted = errors.New("interrupted")

// run executes the command line args and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		usage(stdout)
		return exitOK
	}
	for _, c := range commands() {
		if c.name != args[0] {
			continue
		}
		err := c.run(&env{ctx: ctx, stdout: stdout, stderr: stderr}, args[1:])
		var u usageError
		switch {
		case err == nil:
			return exitOK
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &u):
			fmt.Fprintf(stderr, "tessera %s: %v\nRun 'tessera %s -h' for help.\n", c.name, err, c.name)
			return exitUsage
		case errors.Is(err, errInterrupted):
			return exitInterrupted
		default:
			fmt.Fprintf(stderr, "tessera %s: %v\n", c.name, err)
			return exitFailure
		}
	}
	fmt.Fprintf(stderr, "tessera: unknown command %q\n\n", args[0])
	usage(stderr)
	return exitUsage
}

// flags is a subcommand's flag set with its help text.
type flags struct {
	*flag.FlagSet
	e     *env
	about string
}

// flagSet makes a subcommand's flag set; about is its help text's head.
// The flag package prints nothing itself: parse reports errors and help.
func flagSet(e *env, name, about string) *flags {
	fs := flag.NewFlagSet("tessera "+name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return &flags{fs, e, about}
}

// help prints the help text and the flags to stdout.
func (f *flags) help() {
	fmt.Fprintf(f.e.stdout, "%s\n\nFlags:\n", strings.TrimSpace(f.about))
	f.SetOutput(f.e.stdout)
	f.PrintDefaults()
	f.SetOutput(io.Discard)
}

// parse parses args; -h prints help to stdout (flag.ErrHelp), a bad flag
// is a usage error. Positional arguments are an error unless allowed.
func parse(fs *flags, args []string, positional bool) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.help()
			return err
		}
		return usageError{err.Error()}
	}
	if !positional && fs.NArg() > 0 {
		return usagef("unexpected argument %q (flags go before arguments; see -h)", fs.Arg(0))
	}
	return nil
}

// required checks that string flags were given.
func required(fs *flags, names ...string) error {
	for _, n := range names {
		if fs.Lookup(n).Value.String() == "" {
			return usagef("flag -%s is required", n)
		}
	}
	return nil
}
