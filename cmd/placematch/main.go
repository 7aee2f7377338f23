// Command placematch is the one binary of the Placematch service:
//
//	placematch serve [--demo]        run the HTTP API
//	placematch migrate               apply pending database migrations
//	placematch seed --demo [--seed N] load the Norfolk demo data set
//	placematch import-postcodes FILE load a postcode CSV (ONS Postcode Directory or postcode,latitude,longitude)
//	placematch import-ofsted FILE    load units' and hubs' latest Ofsted ratings by URN (Ofsted's providers CSV)
//	placematch job run NAME          run one nightly job once and print its result
//	placematch report sufficiency    write the sufficiency report to a file (CSV, XLSX, JSON)
//	placematch healthcheck [--path P] GET /healthz (or P) on PLACEMATCH_ADDR; exit 0 when it answers 200
//	placematch version               print the version
//
// Configuration comes from the environment (see the README); wiring of the
// clock, store, use cases (placing), scheduler and router happens here and nowhere
// else.
//
// It may import every package of the module but migrations and storetest; nothing
// imports it.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

const usage = `usage: placematch COMMAND [flags]

commands:
  serve [--demo]              run the HTTP API (--demo seeds an empty database with Norfolk demo data)
  migrate                     apply pending database migrations
  seed --demo [--seed N]      load the Norfolk demo data set into an empty database
  import-postcodes FILE.csv   load postcodes (ONS Postcode Directory, or postcode,latitude,longitude)
  import-ofsted FILE.csv      load units' and hubs' latest Ofsted ratings by URN (Ofsted's children's social care providers CSV)
  job run NAME                run one nightly job once and print its result (reconcile-vacancies,
                              import-provider-feeds, flag-stale-availability, snapshot-sufficiency)
  token --role ROLE --sub SUBJECT [--carer-id ID] [--unit-ids ID,ID] [--ttl 8h]
                              mint a development token with PLACEMATCH_JWT_SECRET; prints the token alone
  report sufficiency --format csv|xlsx|json --out FILE [--as-of DATE] [--group-by LIST] [--suppress]
                              write the sufficiency report without the HTTP server
  healthcheck [--path /healthz] [--timeout 3s]
                              GET the path on PLACEMATCH_ADDR's port; exits 0 on 200, else 1 (for Docker's HEALTHCHECK)
  version                     print the version

Every command prints its own usage with -h or --help.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	var ue usageError
	switch {
	case errors.As(err, &ue):
		fmt.Fprintf(os.Stderr, "placematch: %s\n\n%s", ue.msg, ue.usage)
		os.Exit(2)
	case errors.Is(err, errUsage):
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "placematch:", err)
		os.Exit(1)
	}
}

// commandFunc runs one command with the checked configuration.
type commandFunc func(ctx context.Context, cfg config, args []string, stdout io.Writer) error

// commands are the commands that read the configuration. Each parses its own flags
// first (parseFlags), so that -h/--help prints its usage and touches nothing.
var commands = map[string]commandFunc{
	"serve":            cmdServe,
	"migrate":          cmdMigrate,
	"seed":             cmdSeed,
	"import-postcodes": cmdImportPostcodes,
	"import-ofsted":    cmdImportOfsted,
	"job":              cmdJob,
	"token":            cmdToken,
	"report":           cmdReport,
	"healthcheck":      cmdHealthcheck,
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return usageError{msg: "no command given", usage: usage}
	}
	switch args[0] {
	case "version":
		fmt.Fprintln(stdout, version)
		return nil
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok {
		return usageError{msg: fmt.Sprintf("unknown command %q", args[0]), usage: usage}
	}
	help := wantsHelp(args[1:])
	// The whole configuration is checked before any command runs; asking for help
	// needs none of it, so a bad setting does not hide the usage.
	cfg, err := loadConfig()
	if err != nil && !help {
		return err
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})))
	if !help {
		unknown, closest := unknownVars(os.Environ())
		for i, name := range unknown {
			slog.WarnContext(ctx, "unknown configuration variable, ignored", "name", name, "closest_known", closest[i])
		}
	}
	if err := cmd(ctx, cfg, args[1:], stdout); !errors.Is(err, errHelpShown) {
		return err
	}
	return nil
}
