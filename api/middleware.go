package api

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"

	"github.com/motcua/motcua"
)

const actorKey = "motcua.actor"

// authenticate reads a bearer token if there is one. Requests without one
// go on anonymously; handlers decide what anonymous callers may do.
func (s *Server) authenticate(c *gin.Context) {
	h := c.GetHeader("Authorization")
	if h == "" {
		return
	}
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		s.fail(c, motcua.Errorf(motcua.EUNAUTHORIZED, "Tiêu đề Authorization phải có dạng \"Bearer <token>\"."))
		return
	}
	a, err := s.Auth.Authenticate(c.Request.Context(), strings.TrimSpace(token))
	if err == nil {
		// Who acts is written on the case: the identity's text is
		// checked like any other.
		for _, v := range []string{a.Subject, a.Name, a.Agency} {
			if msg := textProblem(v, plainText); msg != "" {
				err = errors.New("identity with unacceptable text: " + msg)
			}
		}
	}
	if err != nil {
		s.log.Info("token rejected", "err", err)
		s.fail(c, motcua.Errorf(motcua.EUNAUTHORIZED, "Phiên đăng nhập không hợp lệ hoặc đã hết hạn, vui lòng đăng nhập lại."))
		return
	}
	c.Set(actorKey, a)
}

// actor returns the signed-in actor, if any.
func actor(c *gin.Context) (motcua.Actor, bool) {
	v, ok := c.Get(actorKey)
	if !ok {
		return motcua.Actor{}, false
	}
	return v.(motcua.Actor), true
}

// requireActor fails with 401 when nobody is signed in.
func (s *Server) requireActor(c *gin.Context) (motcua.Actor, bool) {
	a, ok := actor(c)
	if !ok {
		s.fail(c, motcua.Errorf(motcua.EUNAUTHORIZED, "Vui lòng đăng nhập."))
	}
	return a, ok
}

// limiter rate-limits look-ups by secret per client address, and signed-in
// look-ups that miss per subject and address, so case codes and secrets
// cannot be enumerated.
type limiter struct {
	mu      sync.Mutex
	perMin  int
	clients map[string]*visitor
	swept   time.Time
}

type visitor struct {
	lim  *rate.Limiter
	seen time.Time
}

func newLimiter(perMinute int) *limiter {
	if perMinute < 1 {
		perMinute = 30
	}
	return &limiter{perMin: perMinute, clients: map[string]*visitor{}}
}

func (l *limiter) allow(key string, now time.Time) bool {
	return l.visitor(key, now).AllowN(now, 1)
}

// exhausted reports whether key has no request left now, without
// spending one.
func (l *limiter) exhausted(key string, now time.Time) bool {
	return l.visitor(key, now).TokensAt(now) < 1
}

func (l *limiter) visitor(key string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > 10*time.Minute {
		for k, v := range l.clients {
			if now.Sub(v.seen) > 10*time.Minute {
				delete(l.clients, k)
			}
		}
		l.swept = now
	}
	v, ok := l.clients[key]
	if !ok {
		v = &visitor{lim: rate.NewLimiter(rate.Limit(float64(l.perMin)/60), max(l.perMin/3, 1))}
		l.clients[key] = v
	}
	v.seen = now
	return v.lim
}

// limitSecret fails with 429 when the client presented too many secrets.
func (s *Server) limitSecret(c *gin.Context) bool {
	if s.limiter.allow(c.ClientIP(), s.Now()) {
		return true
	}
	s.tooManyLookups(c)
	return false
}

func (s *Server) tooManyLookups(c *gin.Context) {
	c.Header("Retry-After", "60")
	s.fail(c, motcua.Errorf(motcua.ERATELIMIT, "Tra cứu quá nhiều lần, vui lòng thử lại sau một phút."))
}

// Signed-in look-ups of cases the caller cannot see (or that do not
// exist) are limited per subject and per address, so codes cannot be
// enumerated by signing in; looking at one's own cases is not limited.
func missKeys(c *gin.Context, a motcua.Actor) [2]string {
	return [2]string{"miss subject:" + string(a.Kind) + ":" + a.Subject, "miss address:" + c.ClientIP()}
}

// limitMisses fails with 429 when the caller has no misses left.
func (s *Server) limitMisses(c *gin.Context, a motcua.Actor) bool {
	now := s.Now()
	for _, k := range missKeys(c, a) {
		if s.limiter.exhausted(k, now) {
			s.tooManyLookups(c)
			return false
		}
	}
	return true
}

// missed spends one of the caller's misses.
func (s *Server) missed(c *gin.Context, a motcua.Actor) {
	now := s.Now()
	for _, k := range missKeys(c, a) {
		s.limiter.allow(k, now)
	}
}
