package api

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
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

// OIDC checks tokens of a production identity provider: signed with a key
// of its JWKS, issued by Issuer for Audience, not expired. go-oidc fetches
// the key set when a token names a key it does not hold; concurrent
// requests share one fetch and nobody waits on a lock meanwhile.
type OIDC struct {
	Issuer   string
	Audience string
	JWKSURL  string
	HTTP     *http.Client

	once     sync.Once
	verifier *oidc.IDTokenVerifier
}

var oidcAlgs = []string{oidc.RS256, oidc.RS384, oidc.RS512, oidc.ES256, oidc.ES384, oidc.EdDSA, oidc.PS256}

func (o *OIDC) Authenticate(ctx context.Context, token string) (motcua.Actor, error) {
	o.once.Do(func() {
		client := &http.Client{}
		if o.HTTP != nil {
			*client = *o.HTTP
		}
		client.Timeout = cmp.Or(client.Timeout, 5*time.Second)
		next := client.Transport
		if next == nil {
			next = http.DefaultTransport
		}
		client.Transport = &throttle{next: next, every: 10 * time.Second}
		keys := oidc.NewRemoteKeySet(oidc.ClientContext(context.Background(), client), o.JWKSURL)
		o.verifier = oidc.NewVerifier(o.Issuer, keys, &oidc.Config{ClientID: o.Audience, SupportedSigningAlgs: oidcAlgs})
	})
	idToken, err := o.verifier.Verify(ctx, token)
	if err != nil {
		return motcua.Actor{}, err
	}
	var c claims
	if err := idToken.Claims(&c); err != nil {
		return motcua.Actor{}, err
	}
	return c.actor()
}

// throttle lets one request through per period and refuses the others, so
// tokens naming a bogus key cannot make us hammer the identity provider
// (go-oidc refetches on every unknown key and keeps the keys it has when a
// fetch fails).
type throttle struct {
	next  http.RoundTripper
	every time.Duration

	mu   sync.Mutex
	last time.Time
}

func (t *throttle) RoundTrip(req *http.Request) (*http.Response, error) {
	t.mu.Lock()
	now := time.Now()
	recent := !t.last.IsZero() && now.Sub(t.last) < t.every
	if !recent {
		t.last = now
	}
	t.mu.Unlock()
	if recent {
		return nil, fmt.Errorf("JWKS fetched less than %s ago", t.every)
	}
	return t.next.RoundTrip(req)
}
