package api

import (
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

// limiter rate-limits look-ups by secret per client address, so case codes
// and secrets cannot be enumerated.
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

func (l *limiter) allow(addr string, now time.Time) bool {
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
	v, ok := l.clients[addr]
	if !ok {
		v = &visitor{lim: rate.NewLimiter(rate.Limit(float64(l.perMin)/60), max(l.perMin/3, 1))}
		l.clients[addr] = v
	}
	v.seen = now
	return v.lim.AllowN(now, 1)
}

// limitSecret fails with 429 when the client presented too many secrets.
func (s *Server) limitSecret(c *gin.Context) bool {
	if s.limiter.allow(c.ClientIP(), s.Now()) {
		return true
	}
	c.Header("Retry-After", "60")
	s.fail(c, motcua.Errorf(motcua.ERATELIMIT, "Tra cứu quá nhiều lần, vui lòng thử lại sau một phút."))
	return false
}
