package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/motcua/motcua"
)

// paperRow is a paper of an agency that belongs to no one case (papers).
type paperRow struct {
	ID        string `gorm:"primaryKey"`
	Agency    string
	Name      string
	Type      string
	Size      int64
	SHA256    string `gorm:"column:sha256"`
	Kind      string
	Signature string
	KeyID     string
	IssuedAt  time.Time
	IssuedBy  motcua.ActorRef `gorm:"serializer:json"`
}

func (paperRow) TableName() string { return "papers" }

// AddCaseDocument puts a paper the desk drew up from the read model (a
// control sheet) among a case's documents, once: the same id again is the
// same paper. The case's records never remove it (RecordCase inserts only
// new documents).
func (db *DB) AddCaseDocument(ctx context.Context, code string, d motcua.Document) error {
	row := documentRow{ID: d.ID, CaseCode: code, Name: d.Name, Type: d.Type, Size: d.Size, SHA256: d.SHA256,
		Kind: d.Kind, UploadedAt: d.Uploaded.UTC(), UploadedBy: d.By, Signature: d.Signature, KeyID: d.KeyID}
	if err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return fmt.Errorf("add document %s to %s: %w", d.ID, code, err)
	}
	db.views.Remove(code)
	return nil
}

// AddAgencyPaper keeps a paper of an agency (a register), once.
func (db *DB) AddAgencyPaper(ctx context.Context, agency string, d motcua.Document) error {
	row := paperRow{ID: d.ID, Agency: agency, Name: d.Name, Type: d.Type, Size: d.Size, SHA256: d.SHA256, Kind: d.Kind,
		Signature: d.Signature, KeyID: d.KeyID, IssuedAt: d.Uploaded.UTC(), IssuedBy: d.By}
	if err := db.gorm.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&row).Error; err != nil {
		return fmt.Errorf("add paper %s of %s: %w", d.ID, agency, err)
	}
	return nil
}

// agencyPaper finds a paper of an agency by id.
func (db *DB) agencyPaper(ctx context.Context, id string) (*motcua.Document, error) {
	var row paperRow
	err := db.gorm.WithContext(ctx).Where("id = ?", id).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, motcua.Errorf(motcua.ENOTFOUND, "Không tìm thấy văn bản %s.", id)
	} else if err != nil {
		return nil, fmt.Errorf("paper %s: %w", id, err)
	}
	return &motcua.Document{ID: row.ID, Name: row.Name, Type: row.Type, Size: row.Size, SHA256: row.SHA256, Kind: row.Kind,
		Uploaded: row.IssuedAt, By: row.IssuedBy, Signature: row.Signature, KeyID: row.KeyID}, nil
}

// registerActions are the events a register reads its times from.
var registerActions = []string{string(motcua.EventForwarded), string(motcua.ActionReceive), string(motcua.ActionIssue),
	string(motcua.ActionConclude), string(motcua.ActionDeliver), string(motcua.EventDelivered)}

// ReceivedCases are the cases agency received in [from, to), by time of
// reception, each with the events of its timeline a register reads
// (reception, forwarding, result, return).
func (db *DB) ReceivedCases(ctx context.Context, agency string, from, to time.Time) ([]motcua.Case, error) {
	g := db.gorm.WithContext(ctx)
	var rows []caseRow
	if err := g.Where("agency = ? AND received_at >= ? AND received_at < ?", agency, from.UTC(), to.UTC()).
		Order("received_at, code").Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("cases received by %s: %w", agency, err)
	}
	out := make([]motcua.Case, len(rows))
	at := make(map[string]int, len(rows))
	codes := make([]string, len(rows))
	for i := range rows {
		out[i] = *fromCaseRow(&rows[i])
		at[rows[i].Code], codes[i] = i, rows[i].Code
	}
	// One read of the events, in batches under the parameter limits.
	for start := 0; start < len(codes); start += 500 {
		batch := codes[start:min(start+500, len(codes))]
		var events []eventRow
		if err := g.Where("case_code IN ? AND action IN ?", batch, registerActions).Order("case_code, seq").
			Find(&events).Error; err != nil {
			return nil, fmt.Errorf("events of cases received by %s: %w", agency, err)
		}
		for _, e := range events {
			c := &out[at[e.CaseCode]]
			c.Timeline = append(c.Timeline, motcua.Event{Seq: e.Seq, At: e.At, Action: motcua.Action(e.Action),
				Status: motcua.Status(e.Status), Actor: e.Actor, Agency: e.Agency})
		}
	}
	return out, nil
}
