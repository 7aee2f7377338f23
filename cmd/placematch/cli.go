package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// errUsage marks a command line that is wrong; main prints the usage and exits 2.
var errUsage = errors.New("usage")

// usageError says what is wrong with a command line and which usage to print.
type usageError struct {
	msg   string
	usage string
}

func (e usageError) Error() string { return e.msg }
func (e usageError) Unwrap() error { return errUsage }

// badUsage is a usageError for a command (synopsis names it and its arguments).
func badUsage(fs *flag.FlagSet, synopsis, format string, a ...any) error {
	return usageError{msg: fs.Name() + ": " + fmt.Sprintf(format, a...), usage: commandUsage(fs, synopsis)}
}

// errHelpShown ends a command whose usage was asked for and printed; run answers nil.
var errHelpShown = errors.New("help shown")

// isHelp reports whether an argument asks for help.
func isHelp(arg string) bool { return slices.Contains([]string{"-h", "-help", "--help"}, arg) }

// wantsHelp reports whether args ask for help before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if isHelp(a) {
			return true
		}
	}
	return false
}

// parseFlags parses a command's flags. -h or --help anywhere before "--" prints the
// command's usage to stdout and returns errHelpShown, before the command touches
// anything; an unknown flag is a usage error naming it.
func parseFlags(fs *flag.FlagSet, synopsis string, args []string, stdout io.Writer) error {
	if wantsHelp(args) {
		fmt.Fprint(stdout, commandUsage(fs, synopsis))
		return errHelpShown
	}
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return badUsage(fs, synopsis, "%v", err)
	}
	return nil
}

// commandUsage is a command's usage line and its flags.
func commandUsage(fs *flag.FlagSet, synopsis string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "usage: placematch %s\n", strings.TrimRight(synopsis, "\n"))
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		b.WriteString("\nflags:\n")
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(io.Discard)
	}
	return b.String()
}
