package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/golang-jwt/jwt/v5"

	"github.com/motcua/motcua"
)

// Authenticator turns a bearer token into an Actor.
type Authenticator interface {
	Authenticate(ctx context.Context, token string) (motcua.Actor, error)
}

// claims are motcua's token claims: the standard ones plus who the subject
// is. An identity provider maps its users onto them.
type claims struct {
	jwt.RegisteredClaims
	Name   string        `json:"name,omitempty"`
	Kind   string        `json:"kind,omitempty"` // citizen (default), officer, admin
	Agency string        `json:"agency,omitempty"`
	Roles  []motcua.Role `json:"roles,omitempty"`
}

func (c *claims) actor() (motcua.Actor, error) {
	a := motcua.Actor{Kind: motcua.ActorKind(c.Kind), Subject: c.Subject, Name: c.Name}
	if a.Kind == "" {
		a.Kind = motcua.KindCitizen
	}
	if a.Subject == "" {
		return motcua.Actor{}, errors.New("token has no subject")
	}
	switch a.Kind {
	case motcua.KindCitizen, motcua.KindAdmin:
	case motcua.KindOfficer:
		if c.Agency == "" {
			return motcua.Actor{}, errors.New("officer token has no agency")
		}
		for _, r := range c.Roles {
			if !slices.Contains(motcua.OfficerRoles, r) {
				return motcua.Actor{}, fmt.Errorf("unknown role %q", r)
			}
		}
		a.Agency, a.Roles = c.Agency, c.Roles
	default:
		return motcua.Actor{}, fmt.Errorf("unknown kind %q", c.Kind)
	}
	return a, nil
}

// DevTokens signs and checks HS256 tokens for `motcua dev`, where there is
// no identity provider. Production never accepts them.
type DevTokens struct {
	Secret   []byte
	Audience string
	TTL      time.Duration
}

const devIssuer = "motcua-dev"

// Issue returns a token for a.
func (d *DevTokens) Issue(a motcua.Actor, now time.Time) (string, time.Time, error) {
	exp := now.Add(d.TTL)
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{Issuer: devIssuer, Subject: a.Subject, Audience: jwt.ClaimStrings{d.Audience},
			IssuedAt: jwt.NewNumericDate(now), ExpiresAt: jwt.NewNumericDate(exp)},
		Name: a.Name, Kind: string(a.Kind), Agency: a.Agency, Roles: a.Roles,
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(d.Secret)
	return tok, exp, err
}

func (d *DevTokens) Authenticate(_ context.Context, token string) (motcua.Actor, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return d.Secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(devIssuer), jwt.WithAudience(d.Audience), jwt.WithExpirationRequired())
	if err != nil {
		return motcua.Actor{}, err
	}
	return c.actor()
}

// OIDC checks tokens of a production identity provider against its JWKS,
// refetched every Refresh and whenever a token names an unknown key.
type OIDC struct {
	Issuer   string
	Audience string
	JWKSURL  string
	Refresh  time.Duration
	HTTP     *http.Client

	mu      sync.Mutex
	keys    *jose.JSONWebKeySet
	fetched time.Time
}

func (o *OIDC) Authenticate(ctx context.Context, token string) (motcua.Actor, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		return o.key(ctx, kid)
	}, jwt.WithValidMethods([]string{"RS256", "RS384", "RS512", "ES256", "ES384", "EdDSA", "PS256"}),
		jwt.WithIssuer(o.Issuer), jwt.WithAudience(o.Audience), jwt.WithExpirationRequired())
	if err != nil {
		return motcua.Actor{}, err
	}
	return c.actor()
}

func (o *OIDC) key(ctx context.Context, kid string) (any, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	find := func() any {
		if o.keys == nil {
			return nil
		}
		for _, k := range o.keys.Key(kid) {
			if k.Use == "" || k.Use == "sig" {
				return k.Key
			}
		}
		return nil
	}
	stale := time.Since(o.fetched) > o.Refresh
	if k := find(); k != nil && !stale {
		return k, nil
	}
	// Refetch at most every ten seconds, so tokens naming a bogus key
	// cannot make us hammer the identity provider.
	if time.Since(o.fetched) > 10*time.Second {
		if err := o.fetch(ctx); err != nil && o.keys == nil {
			return nil, err
		}
	}
	if k := find(); k != nil {
		return k, nil
	}
	return nil, fmt.Errorf("no signing key %q in JWKS", kid)
}

func (o *OIDC) fetch(ctx context.Context) error {
	o.fetched = time.Now()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.JWKSURL, nil)
	if err != nil {
		return err
	}
	client := o.HTTP
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("fetch JWKS: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("fetch JWKS: %s", resp.Status)
	}
	var set jose.JSONWebKeySet
	if err := json.NewDecoder(resp.Body).Decode(&set); err != nil {
		return fmt.Errorf("decode JWKS: %w", err)
	}
	o.keys = &set
	return nil
}
