package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"
)

// cmdHealthcheck asks the server listening on PLACEMATCH_ADDR for /healthz (or
// --path) and exits 0 when it answers 200, 1 otherwise. The distroless image has no
// shell and no curl, so Docker's HEALTHCHECK runs this. It opens no database.
func cmdHealthcheck(ctx context.Context, cfg config, args []string, stdout io.Writer) error {
	const synopsis = "healthcheck [--path /healthz] [--timeout 3s]\n\n" +
		"GET the path from the server on PLACEMATCH_ADDR; exits 0 when it answers 200, 1 otherwise\n"
	fs := flag.NewFlagSet("healthcheck", flag.ContinueOnError)
	path := fs.String("path", "/healthz", "path to ask: /healthz (the process answers) or /readyz (and its database)")
	timeout := fs.Duration("timeout", 3*time.Second, "how long to wait for the answer")
	if err := parseFlags(fs, synopsis, args, stdout); err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return badUsage(fs, synopsis, "takes no arguments, got %q", fs.Arg(0))
	}
	if !strings.HasPrefix(*path, "/") {
		return badUsage(fs, synopsis, "--path must start with /")
	}
	url := "http://" + localAddr(cfg.Addr) + *path
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode != http.StatusOK {
		return errors.New("healthcheck: " + url + " answered " + res.Status)
	}
	fmt.Fprintln(stdout, "ok:", url)
	return nil
}

// localAddr turns a listen address into one to dial on this host: a missing or
// wildcard host (":8080", "0.0.0.0:8080", "[::]:8080") becomes the loopback address.
func localAddr(listen string) string {
	host, port, err := net.SplitHostPort(listen)
	if err != nil {
		return listen // checked at start; kept as given
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	return net.JoinHostPort(host, port)
}
