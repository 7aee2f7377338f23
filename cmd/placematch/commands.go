package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"placematch/demo"
	"placematch/geo"
	"placematch/placing"
	"placematch/store"
)

// openStore opens the store and gives it the service's one clock: every other part
// (use cases, API, reports, jobs) is handed the store's Now, so that they all read
// the same time.
func openStore(ctx context.Context, cfg config) (*store.DB, error) {
	db, err := store.Open(ctx, store.Config{DatabaseURL: cfg.DatabaseURL, SQLitePath: cfg.SQLitePath})
	if err != nil {
		return nil, err
	}
	db.Now = clock
	return db, nil
}

// clock is the service's time: UTC wall-clock time.
func clock() time.Time { return time.Now().UTC() }

// openPrepared opens the store with its schema current: migrated when
// PLACEMATCH_MIGRATE_ON_START is true, refused when it is false and the schema is stale.
func openPrepared(ctx context.Context, cfg config) (*store.DB, error) {
	db, err := openStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	if err := prepareSchema(ctx, db, cfg.MigrateOnStart); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func cmdMigrate(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	const synopsis = "migrate\n\napply pending database migrations\n"
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return badUsage(fs, synopsis, "takes no arguments, got %q", fs.Arg(0))
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	return db.Migrate(ctx)
}

func cmdSeed(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	const synopsis = "seed --demo [--seed N]\n\nload the Norfolk demo data set into an empty database\n"
	fs := flag.NewFlagSet("seed", flag.ContinueOnError)
	isDemo := fs.Bool("demo", false, "load the Norfolk demo data set")
	seed := fs.Uint64("seed", cfg.DemoSeed, "seed of the demo data (PLACEMATCH_DEMO_SEED)")
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return badUsage(fs, synopsis, "takes no arguments, got %q", fs.Arg(0))
	}
	if !*isDemo {
		return fmt.Errorf("seed: only --demo is available")
	}
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	empty, err := demo.IsEmpty(ctx, db)
	if err != nil {
		return err
	}
	if !empty {
		return errors.New("seed: the database already holds records; the demo loads only into an empty database")
	}
	db.Locator = demo.Locator()
	sum, err := demo.Seed(ctx, db, *seed, db.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "demo loaded: %d carers, %d units, %d hubs, %d children awaiting (%d sibling groups), %d placements\n",
		sum.Carers, sum.Units, sum.Hubs, sum.Children, sum.SiblingGroups, sum.Placements)
	return nil
}

func cmdImportPostcodes(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	const synopsis = "import-postcodes FILE.csv\n\nload postcodes (ONS Postcode Directory, or postcode,latitude,longitude)\n"
	fs := flag.NewFlagSet("import-postcodes", flag.ContinueOnError)
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badUsage(fs, synopsis, "needs one FILE.csv, got %d arguments", fs.NArg())
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := openStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return err
	}
	w := db.NewPostcodeWriter(ctx)
	stats, err := geo.ReadPostcodes(f, func(r geo.PostcodeRow) error {
		return w.Add(store.Postcode{Postcode: r.Postcode, Location: r.Point, District: r.District})
	})
	if err != nil {
		return fmt.Errorf("import-postcodes: %w", err)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	slog.InfoContext(ctx, "postcodes imported", "rows", stats.Rows, "valid", stats.Valid, "skipped", stats.Skipped)
	fmt.Fprintf(stdout, "%d rows read, %d postcodes imported, %d skipped\n", stats.Rows, stats.Valid, stats.Skipped)
	return nil
}

func cmdImportOfsted(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	const synopsis = "import-ofsted FILE.csv\n\nload units' and hubs' latest Ofsted overall ratings by URN from Ofsted's children's social care providers CSV\n"
	fs := flag.NewFlagSet("import-ofsted", flag.ContinueOnError)
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return badUsage(fs, synopsis, "needs one FILE.csv, got %d arguments", fs.NArg())
	}
	f, err := os.Open(fs.Arg(0))
	if err != nil {
		return err
	}
	defer f.Close()
	db, err := openPrepared(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	st, err := (&placing.Service{Store: db, Now: db.Now}).ImportOfsted(ctx, f)
	if err != nil {
		return fmt.Errorf("import-ofsted: %w", err)
	}
	slog.InfoContext(ctx, "ofsted ratings imported", "rows", st.Rows, "invalid", st.Invalid, "unrated", st.Unrated,
		"matched", st.Matched, "unmatched", st.Unmatched, "updated", st.Updated, "unchanged", st.Unchanged,
		"kept_newer", st.KeptNewer)
	fmt.Fprintf(stdout, "%d rows read: %d invalid, %d not yet rated; %d URNs matched a unit or hub, %d unmatched; %d providers updated, %d unchanged, %d kept a later inspection\n",
		st.Rows, st.Invalid, st.Unrated, st.Matched, st.Unmatched, st.Updated, st.Unchanged, st.KeptNewer)
	return nil
}
