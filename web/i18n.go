package web

import (
	"embed"
	"regexp"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"

	"github.com/motcua/motcua"
)

// The message catalogues: every text of the pages, in Vietnamese (the
// default) and English, and the English of the API's error messages.
//
//go:embed locales/*.yaml
var locales embed.FS

var (
	bundleOnce sync.Once
	bundle     *i18n.Bundle
	localizers map[string]*i18n.Localizer
	// errorPatterns translate API error messages that carry values
	// ("Không tìm thấy hồ sơ %s."): built from the catalogue's keys.
	errorPatterns []errorPattern
)

type errorPattern struct {
	re *regexp.Regexp
	en string
}

// Languages the pages speak; the first is the default.
var Languages = []string{"vi", "en"}

func loadBundle() {
	bundleOnce.Do(func() {
		bundle = i18n.NewBundle(language.Vietnamese)
		bundle.RegisterUnmarshalFunc("yaml", yaml.Unmarshal)
		for _, f := range []string{"locales/vi.yaml", "locales/en.yaml", "locales/errors.en.yaml"} {
			if _, err := bundle.LoadMessageFileFS(locales, f); err != nil {
				panic(err) // the catalogues are embedded: a bad one fails every test
			}
		}
		localizers = map[string]*i18n.Localizer{}
		for _, l := range Languages {
			localizers[l] = i18n.NewLocalizer(bundle, l)
		}
		data, _ := locales.ReadFile("locales/errors.en.yaml")
		var m map[string]string
		_ = yaml.Unmarshal(data, &m)
		for vi, en := range m {
			if !strings.Contains(vi, "%") {
				continue
			}
			pat := regexp.QuoteMeta(vi)
			pat = strings.NewReplacer("%s", "(.+?)", "%q", "(.+?)", "%d", "(-?[0-9]+)", "%v", "(.+?)").Replace(pat)
			errorPatterns = append(errorPatterns, errorPattern{regexp.MustCompile("^" + pat + "$"), en})
		}
	})
}

// tr returns the message id in lang, filled with data (key, value pairs).
func tr(lang, id string, data ...any) string {
	loadBundle()
	l := localizers[lang]
	if l == nil {
		l = localizers["vi"]
	}
	var td map[string]any
	if len(data) > 1 {
		td = map[string]any{}
		for i := 0; i+1 < len(data); i += 2 {
			k, _ := data[i].(string)
			td[k] = data[i+1]
		}
	}
	s, err := l.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: td})
	if err != nil || s == "" {
		return id
	}
	return s
}

// pickLanguage chooses vi or en from an Accept-Language header: Vietnamese
// unless English is preferred to it.
func pickLanguage(accept string) string {
	if accept == "" {
		return "vi"
	}
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil {
		return "vi"
	}
	for _, t := range tags {
		base, _ := t.Base()
		switch base.String() {
		case "vi":
			return "vi"
		case "en":
			return "en"
		}
	}
	return "vi"
}

// translateError gives one Vietnamese message of the API in English, when
// the catalogue knows it; otherwise the Vietnamese stays.
func translateError(vi string) string {
	loadBundle()
	if s, err := localizers["en"].Localize(&i18n.LocalizeConfig{MessageID: vi}); err == nil && s != "" && s != vi {
		if !strings.Contains(vi, "%") {
			return s
		}
	}
	for _, p := range errorPatterns {
		if m := p.re.FindStringSubmatch(vi); m != nil {
			out := p.en
			for _, arg := range m[1:] {
				i := strings.IndexAny(out, "%")
				if i < 0 || i+1 >= len(out) {
					break
				}
				out = out[:i] + arg + out[i+2:]
			}
			return out
		}
	}
	return vi
}

// LocalizeError answers an API error in the language the client asked for
// (Accept-Language: vi by default, en): the message and each field's
// message, through the same catalogues the pages use.
func LocalizeError(acceptLanguage string, e *motcua.Error) *motcua.Error {
	if e == nil || pickLanguage(acceptLanguage) != "en" {
		return e
	}
	out := *e
	out.Message = translateError(e.Message)
	if e.En != "" {
		out.Message = e.En // written in both languages where it was raised
	}
	if len(e.Fields) > 0 {
		out.Fields = make(map[string]string, len(e.Fields))
		for k, v := range e.Fields {
			out.Fields[k] = translateError(v)
		}
	}
	return &out
}
