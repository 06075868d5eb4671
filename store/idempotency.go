package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua"
)

var _ motcua.Idempotency = (*DB)(nil)

// purgeEvery spaces the purges of expired idempotency keys; each purge
// deletes at most purgeBatches batches of purgeBatch rows (by the expiry
// index), so no request waits long for one.
const (
	purgeEvery   = time.Minute
	purgeBatch   = 500
	purgeBatches = 10
)

// BeginRequest claims key for a request (see motcua.Idempotency).
func (db *DB) BeginRequest(ctx context.Context, key, hash string, now, leaseUntil time.Time) (motcua.IdempotentRequest, error) {
	db.purgeKeys(ctx, now)
	// Insert, or take over a key whose lease or keeping time has passed.
	res := db.gorm.WithContext(ctx).Exec(`INSERT INTO idempotency_keys (idem_key, request_hash, status, body, created_at, expires_at)
		VALUES (?, ?, 0, NULL, ?, ?)
		ON CONFLICT (idem_key) DO UPDATE SET request_hash = excluded.request_hash, status = 0, body = NULL,
			created_at = excluded.created_at, expires_at = excluded.expires_at
		WHERE idempotency_keys.expires_at <= ?`,
		key, hash, now.UTC(), leaseUntil.UnixMilli(), now.UnixMilli())
	if res.Error != nil {
		return motcua.IdempotentRequest{}, fmt.Errorf("claim idempotency key: %w", res.Error)
	}
	if res.RowsAffected == 1 {
		return motcua.IdempotentRequest{Claimed: true, Hash: hash}, nil
	}
	var r motcua.IdempotentRequest
	err := db.gorm.WithContext(ctx).Raw("SELECT request_hash, status, body FROM idempotency_keys WHERE idem_key = ?", key).Row().
		Scan(&r.Hash, &r.Status, &r.Body)
	if errors.Is(err, sql.ErrNoRows) {
		// Freed between the two statements: the caller asks again.
		return motcua.IdempotentRequest{Hash: hash}, nil
	}
	if err != nil {
		return motcua.IdempotentRequest{}, fmt.Errorf("read idempotency key: %w", err)
	}
	return r, nil
}

// FinishRequest keeps the answer of the request holding key.
func (db *DB) FinishRequest(ctx context.Context, key string, status int, body []byte, keepUntil time.Time) error {
	err := db.gorm.WithContext(ctx).Exec("UPDATE idempotency_keys SET status = ?, body = ?, expires_at = ? WHERE idem_key = ?",
		status, body, keepUntil.UnixMilli(), key).Error
	if err != nil {
		return fmt.Errorf("keep idempotent answer: %w", err)
	}
	return nil
}

// AbandonRequest frees a key still in progress.
func (db *DB) AbandonRequest(ctx context.Context, key string) error {
	err := db.gorm.WithContext(ctx).Exec("DELETE FROM idempotency_keys WHERE idem_key = ? AND status = 0", key).Error
	if err != nil {
		return fmt.Errorf("free idempotency key: %w", err)
	}
	return nil
}

// purgeKeys deletes a batch of expired keys, at most once per purgeEvery
// in this process. A failure only delays the purge.
func (db *DB) purgeKeys(ctx context.Context, now time.Time) {
	last := db.lastPurge.Load()
	if now.UnixMilli()-last < purgeEvery.Milliseconds() || !db.lastPurge.CompareAndSwap(last, now.UnixMilli()) {
		return
	}
	for range purgeBatches {
		res := db.gorm.WithContext(ctx).Exec(`DELETE FROM idempotency_keys WHERE idem_key IN
			(SELECT idem_key FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)`, now.UnixMilli(), purgeBatch)
		if res.Error != nil || res.RowsAffected < purgeBatch {
			return
		}
	}
}
