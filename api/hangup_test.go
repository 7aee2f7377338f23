package api_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"placematch"
	"placematch/auth"
	"placematch/store/storetest"
)

// smallBuffers keeps the kernel's socket buffers small, so a download of a few
// hundred KB is still being written when the client hangs up.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

// A client that hangs up in the middle of a download (which cancels the request's
// context) still leaves the export's audit row.
func TestDownloadIsAuditedWhenTheClientHangsUp(t *testing.T) {
	for _, d := range storetest.Dialects() {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			e, h := newHandlerEnv(t, d, storetest.Config(t, d))
			e.srv = httptest.NewUnstartedServer(h)
			e.srv.Listener = smallBuffers{e.srv.Listener}
			e.srv.Start()
			t.Cleanup(e.srv.Close)
			carers := make([]*placematch.Provider, 800)
			for i := range carers {
				carers[i] = storetest.Carer("HANGUP-" + strconv.Itoa(i))
			}
			if err := e.db.BulkImport(ctx, carers, nil, nil); err != nil {
				t.Fatal(err)
			}
			client := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
				if tc, ok := c.(*net.TCPConn); ok {
					_ = tc.SetReadBuffer(4096)
				}
				return c, err
			}}}
			reqCtx, cancel := context.WithCancel(ctx)
			req, err := http.NewRequestWithContext(reqCtx, "GET", e.srv.URL+"/api/v1/reports/providers.geojson", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Authorization", e.bearer(auth.Principal{Subject: "officer-hangup", Role: auth.PlacementOfficer}))
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := io.ReadFull(res.Body, make([]byte, 1024)); err != nil || res.StatusCode != 200 {
				t.Fatalf("status %d, %v", res.StatusCode, err)
			}
			cancel() // hang up with most of the body unread
			res.Body.Close()
			deadline := time.Now().Add(10 * time.Second)
			for {
				rows := auditRows(t, e.db, "officer-hangup")
				if len(rows) == 1 && rows[0].Action == "report.providers_map" {
					return
				}
				if len(rows) > 1 || time.Now().After(deadline) {
					t.Fatalf("audit rows after the client hung up: %+v", rows)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
