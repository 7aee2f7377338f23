package store

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"placematch"
)

// feedSecretHostRow is the feed_secret_hosts table: the one host each feed secret
// may be sent to.
type feedSecretHostRow struct {
	SecretName string `gorm:"primaryKey"`
	Host       string
	BoundAt    time.Time
}

func (feedSecretHostRow) TableName() string { return "feed_secret_hosts" }

// FeedHost is the host a feed URL names, in lower case, without port or final dot:
// the host its secret is bound to.
func FeedHost(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
}

// bindSecret binds secret name to host when it is not bound yet, and refuses (a
// ValidationError naming secret_name) a host other than the bound one. The binding
// outlives the feed: an admin who could point a secret at a host of their choosing
// could read a secret only an operator can set.
func (db *DB) bindSecret(tx *gorm.DB, name, host string) error {
	if name == "" {
		return nil
	}
	row := feedSecretHostRow{SecretName: name, Host: host, BoundAt: db.now()}
	if err := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return translate(err)
	}
	var bound feedSecretHostRow
	if err := tx.Where("secret_name = ?", name).Take(&bound).Error; err != nil {
		return translate(err)
	}
	if bound.Host != host {
		return placematch.Invalid("secret_name", "is bound to host %s and is never sent elsewhere; a feed on %s needs its own secret_name",
			bound.Host, host)
	}
	return nil
}

// CheckFeedSecretHost returns nil when f's secret may be sent to f's host, binding
// the secret to it when it is unbound (a feed stored before bindings existed), and a
// ValidationError naming secret_name when the secret is bound to another host.
func (db *DB) CheckFeedSecretHost(ctx context.Context, f *placematch.Feed) error {
	err := db.tx(ctx, func(tx *gorm.DB) error { return db.bindSecret(tx, f.SecretName, FeedHost(f.URL)) })
	if err != nil {
		return fmt.Errorf("store: feed secret host: %w", err)
	}
	return nil
}
