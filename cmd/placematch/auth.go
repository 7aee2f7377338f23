package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/store"
)

// buildVerifier chooses how tokens are checked: the identity provider's JWKS, or an
// HS256 secret. With neither the service refuses to start, except with --demo, which
// makes a random secret and returns it to mint the demo's tokens.
func buildVerifier(cfg config, demo bool) (auth.Verifier, *auth.HMAC, error) {
	switch {
	case cfg.JWKSURL != "":
		return &auth.JWKS{URL: cfg.JWKSURL, Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience,
			MaxLifetime: cfg.TokenMaxLifetime}, nil, nil
	case cfg.JWTSecret != "":
		h, err := auth.NewHMAC([]byte(cfg.JWTSecret), cfg.JWTIssuer, cfg.JWTAudience)
		if h != nil {
			h.MaxLifetime = cfg.TokenMaxLifetime
		}
		return h, nil, err
	case demo:
		h := &auth.HMAC{Secret: auth.RandomSecret(), Issuer: cfg.JWTIssuer, Audience: cfg.JWTAudience,
			MaxLifetime: cfg.TokenMaxLifetime}
		return h, h, nil
	}
	return nil, nil, errors.New("no token verification configured: set PLACEMATCH_JWKS_URL or PLACEMATCH_JWT_SECRET " +
		"(or run `serve --demo`, which makes a random secret and prints a token per role)")
}

// DemoTokensFile is where serve --demo also writes its tokens, as shell variables.
const DemoTokensFile = "placematch-demo-tokens.env"

// demoTokenTTL keeps demo tokens valid for a working day.
const demoTokenTTL = 8 * time.Hour

// printDemoTokens mints one token per role for the demo (the carer token for the
// first demo carer, the provider token for the first two units) and prints them as
// shell exports, also written to DemoTokensFile.
func printDemoTokens(ctx context.Context, db *store.DB, keys *auth.HMAC, stdout io.Writer) error {
	p, err := demoPrincipals(ctx, db)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Placematch demo tokens, valid for %s; the secret is new at every start.\n", demoTokenTTL)
	for _, name := range slices.Sorted(maps.Keys(p)) {
		tok, err := keys.Mint(p[name], demoTokenTTL)
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "export %s_TOKEN=%s\n", name, tok)
	}
	fmt.Fprint(stdout, b.String())
	if err := os.WriteFile(DemoTokensFile, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("write %s: %w", DemoTokensFile, err)
	}
	fmt.Fprintf(stdout, "# also written to %s: run `. ./%s` in another shell\n", DemoTokensFile, DemoTokensFile)
	return nil
}

// demoPrincipals are the demo's people by role name (the carer is the first demo
// carer, the provider holds the first two units): the same for the tokens and the
// web pages' demo sign-in.
func demoPrincipals(ctx context.Context, db *store.DB) (map[string]auth.Principal, error) {
	carers, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindCarer, Limit: 1})
	if err != nil {
		return nil, err
	}
	units, err := db.ListProviders(ctx, store.ProviderFilter{Kind: placematch.KindUnit, Limit: 2})
	if err != nil {
		return nil, err
	}
	p := map[string]auth.Principal{
		"ADMIN":        {Subject: "demo-admin", Role: auth.Admin},
		"OFFICER":      {Subject: "demo-officer", Role: auth.PlacementOfficer},
		"COMMISSIONER": {Subject: "demo-commissioner", Role: auth.Commissioner},
	}
	if len(carers.Items) > 0 {
		p["CARER"] = auth.Principal{Subject: "demo-carer", Role: auth.Carer, CarerID: carers.Items[0].ID}
	}
	if len(units.Items) > 0 {
		u := auth.Principal{Subject: "demo-provider", Role: auth.Provider}
		for _, it := range units.Items {
			u.UnitIDs = append(u.UnitIDs, it.ID)
		}
		p["PROVIDER"] = u
	}
	return p, nil
}

// cmdToken mints a development token with the configured secret and prints it alone.
func cmdToken(_ context.Context, cfg config, args []string, stdout io.Writer) error {
	const synopsis = "token --role ROLE --sub SUBJECT [--carer-id ID] [--unit-ids ID,ID] [--ttl 8h]\n\n" +
		"mint a development token with PLACEMATCH_JWT_SECRET; prints the token alone\n"
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	role := fs.String("role", "", "admin, placement_officer, carer, provider or commissioner")
	sub := fs.String("sub", "", "subject: who the token is for")
	carerID := fs.String("carer-id", "", "the carer record a carer token may use")
	unitIDs := fs.String("unit-ids", "", "comma-separated units a provider token may use")
	ttl := fs.Duration("ttl", 8*time.Hour, "how long the token is valid (at most PLACEMATCH_TOKEN_MAX_LIFETIME)")
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return badUsage(fs, synopsis, "takes no arguments, got %q", fs.Arg(0))
	}
	if cfg.JWTSecret == "" {
		return errors.New("token: PLACEMATCH_JWT_SECRET (or PLACEMATCH_JWT_SECRET_FILE) is not set")
	}
	if !slices.Contains(auth.Roles, auth.Role(*role)) || *sub == "" || *ttl <= 0 {
		return errors.New("token: --role must be one of admin, placement_officer, carer, provider, commissioner; --sub is required; --ttl must be positive")
	}
	if auth.Role(*role) == auth.Carer && *carerID == "" {
		return errors.New("token: a carer token needs --carer-id")
	}
	keys, err := auth.NewHMAC([]byte(cfg.JWTSecret), cfg.JWTIssuer, cfg.JWTAudience)
	if err != nil {
		return err
	}
	keys.MaxLifetime = cfg.TokenMaxLifetime
	tok, err := keys.Mint(auth.Principal{Subject: *sub, Role: auth.Role(*role), CarerID: *carerID,
		UnitIDs: splitList(*unitIDs)}, *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}
