package store_test

import (
	"testing"

	"placematch"
	"placematch/store"
	"placematch/store/storetest"
)

// A feed secret is sent to one host: the host of the first feed registered with it.
// Neither a new feed nor a change of URL can take it elsewhere, even once the first
// feed is archived.
func TestFeedSecretIsBoundToItsHost(t *testing.T) {
	eachDialect(t, func(t *testing.T, db *store.DB) {
		u := storetest.Unit("U1")
		must(t, db.CreateProvider(ctx, u))
		feed := func(name, url, secret string) *placematch.Feed {
			return &placematch.Feed{Name: name, URL: url, Format: "csv", AuthHeader: "Authorization", SecretName: secret,
				UnitIDs: []string{u.ID}}
		}
		first := feed("first", "https://a.example.org/feed.csv", "ACME")
		must(t, db.CreateFeed(ctx, first))
		wantField(t, db.CreateFeed(ctx, feed("elsewhere", "https://b.example.org/", "ACME")), "secret_name")
		must(t, db.CreateFeed(ctx, feed("same-host", "https://A.example.org.:8443/other.csv", "ACME")))
		_, err := db.UpdateFeed(ctx, first.ID, 0, func(f *placematch.Feed) error {
			f.URL = "https://b.example.org/steal"
			return nil
		})
		wantField(t, err, "secret_name")
		got, err := db.GetFeed(ctx, first.ID)
		must(t, err)
		if got.URL != first.URL || got.Version != 1 {
			t.Fatalf("refused change stored: %+v", got)
		}
		page, err := db.ListFeeds(ctx, store.FeedFilter{Limit: 10})
		must(t, err)
		if len(page.Items) != 2 {
			t.Fatalf("%d feeds stored, want 2", len(page.Items))
		}
		must(t, db.ArchiveFeed(ctx, first.ID, 0))
		wantField(t, db.CreateFeed(ctx, feed("after-archive", "https://b.example.org/", "ACME")), "secret_name")
		// Another secret on the other host is fine.
		must(t, db.CreateFeed(ctx, feed("own-secret", "https://b.example.org/", "BETA")))

		// A feed stored before bindings existed binds its secret to its own host
		// before a change is judged, and when it is checked before a fetch.
		old := feed("old", "https://c.example.org/", "GAMMA")
		must(t, db.CreateFeed(ctx, old))
		must(t, db.UnbindFeedSecrets(ctx))
		_, err = db.UpdateFeed(ctx, old.ID, 0, func(f *placematch.Feed) error {
			f.URL = "https://evil.example.net/"
			return nil
		})
		wantField(t, err, "secret_name")
		must(t, db.CheckFeedSecretHost(ctx, old))
		moved := *old
		moved.URL = "https://evil.example.net/"
		wantField(t, db.CheckFeedSecretHost(ctx, &moved), "secret_name")
	})
}
