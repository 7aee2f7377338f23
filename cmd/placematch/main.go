// Command placematch is the one binary of the Placematch service:
//
//	placematch serve [--demo]        run the HTTP API
//	placematch migrate               apply pending database migrations
//	placematch seed --demo [--seed N] load the Norfolk demo data set
//	placematch import-postcodes FILE load a postcode CSV (ONS Postcode Directory or postcode,latitude,longitude)
//	placematch job run NAME          run one nightly job once and print its result
//	placematch report sufficiency    write the sufficiency report to a file (CSV, XLSX, JSON)
//	placematch version               print the version
//
// Configuration comes from the environment (see the README); wiring of store,
// matching and router happens here and nowhere else.
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
  job run NAME                run one nightly job once and print its result (reconcile-vacancies,
                              import-provider-feeds, flag-stale-availability, snapshot-sufficiency)
  token --role ROLE --sub SUBJECT [--carer-id ID] [--unit-ids ID,ID] [--ttl 8h]
                              mint a development token with PLACEMATCH_JWT_SECRET; prints the token alone
  report sufficiency --format csv|xlsx|json --out FILE [--as-of DATE] [--group-by LIST] [--suppress]
                              write the sufficiency report without the HTTP server
  version                     print the version
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if errors.Is(err, errUsage) {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "placematch:", err)
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errUsage
	}
	cfg, err := loadConfig()
	if err != nil {
		return err
	}
	slog.SetDefault(slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.LogLevel})))
	switch args[0] {
	case "serve":
		return cmdServe(ctx, cfg, args[1:], stdout)
	case "migrate":
		return cmdMigrate(ctx, cfg)
	case "seed":
		return cmdSeed(ctx, cfg, args[1:], stdout)
	case "import-postcodes":
		return cmdImportPostcodes(ctx, cfg, args[1:], stdout)
	case "job":
		return cmdJob(ctx, cfg, args[1:], stdout)
	case "token":
		return cmdToken(cfg, args[1:], stdout)
	case "report":
		return cmdReport(ctx, cfg, args[1:], stdout)
	case "version":
		fmt.Fprintln(stdout, version)
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return errUsage
}
