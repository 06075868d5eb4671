// Package procedures loads and validates procedure definitions (thủ tục hành
// chính): one YAML file each, embedded in the binary or read from a directory,
// checked against the agency registry before any case can use them.
package procedures

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/motcua/motcua"
	"go.yaml.in/yaml/v3"
)

// Problem is one thing wrong with a definition or the registry.
type Problem struct {
	File    string `json:"file"`
	Field   string `json:"field"` // dotted path with list indexes: "co_agencies.0.days"
	Message string `json:"message"`
}

func (p Problem) String() string { return p.File + ": " + p.Field + ": " + p.Message }

// Problems is every problem found; as an error it prints one per line.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Catalog is a validated set of procedure definitions. It is read-only once
// loaded; callers must not modify the procedures it returns.
type Catalog struct {
	agencies *Agencies
	byCode   map[string]*motcua.Procedure
	all      []*motcua.Procedure
	index    *searchIndex
	forms    *formCache
}

//go:embed definitions/*.yaml
var definitionsFS embed.FS

// Embedded returns the catalogue built into the binary, checked against
// DefaultAgencies.
func Embedded() (*Catalog, error) {
	sub, err := fs.Sub(definitionsFS, "definitions")
	if err != nil {
		return nil, err
	}
	return Load(sub, DefaultAgencies())
}

// LoadDir reads the definitions in dir instead of the embedded ones, so a
// province can change its catalogue through configuration.
func LoadDir(dir string) (*Catalog, error) {
	return Load(os.DirFS(dir), DefaultAgencies())
}

// Load reads every *.yaml at the root of fsys and validates each definition
// against agencies. It reports every problem found (as Problems), not just
// the first, and returns no catalog if there is any.
func Load(fsys fs.FS, agencies *Agencies) (*Catalog, error) {
	names, err := fs.Glob(fsys, "*.yaml")
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, Problems{{Message: "no procedure definitions (*.yaml) found"}}
	}
	c := &Catalog{agencies: agencies, byCode: map[string]*motcua.Procedure{}, forms: newFormCache()}
	var ps Problems
	// Files are parsed on every core: a province's whole catalogue is
	// thousands of files, and YAML is slow to parse.
	type parsed struct {
		p  *motcua.Procedure
		ps Problems
	}
	data := make([][]byte, len(names))
	for i, name := range names {
		if data[i], err = fs.ReadFile(fsys, name); err != nil {
			return nil, err
		}
	}
	results := make([]parsed, len(names))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(names)) {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(names); i = int(next.Add(1)) - 1 {
				results[i].p, results[i].ps = c.parse(names[i], data[i])
			}
		})
	}
	wg.Wait()
	for _, r := range results {
		ps = append(ps, r.ps...)
		if r.p == nil {
			continue
		}
		// Codes are unique because each equals its file's name.
		c.byCode[r.p.Code] = r.p
		c.all = append(c.all, r.p)
	}
	for _, p := range c.all {
		// A second-instance complaint names the first-instance complaint
		// it is filed against (Luật Khiếu nại 2011 Điều 33).
		if p.FirstInstance == "" {
			continue
		}
		if first, ok := c.byCode[p.FirstInstance]; !ok || first.Shape != motcua.ShapeComplaint || p.Shape != motcua.ShapeComplaint {
			ps = append(ps, Problem{File: p.Code + ".yaml", Field: "first_instance",
				Message: fmt.Sprintf("first_instance %q must name a complaint procedure, and the procedure must be a complaint itself", p.FirstInstance)})
		}
	}
	if len(ps) > 0 {
		return nil, ps
	}
	slices.SortFunc(c.all, func(a, b *motcua.Procedure) int { return strings.Compare(a.Code, b.Code) })
	c.index = buildIndex(c.all, agencies)
	return c, nil
}

// Agencies returns the registry the catalogue was validated against.
func (c *Catalog) Agencies() *Agencies { return c.agencies }

// Get returns the current definition of the procedure with code.
func (c *Catalog) Get(code string) (*motcua.Procedure, bool) {
	p, ok := c.byCode[code]
	return p, ok
}

// All returns every procedure, sorted by code.
func (c *Catalog) All() []*motcua.Procedure { return slices.Clone(c.all) }

// definitionFile adds the two JSON-valued keys that Procedure keeps as raw
// JSON (yaml:"-"), so the decoder can still reject unknown keys.
type definitionFile struct {
	motcua.Procedure `yaml:",inline"`
	Form             yaml.Node `yaml:"form"`
	ExampleForm      yaml.Node `yaml:"example_form"`
}

// parse decodes and validates one file. It returns the procedure only when
// the file has no problem.
func (c *Catalog) parse(name string, data []byte) (*motcua.Procedure, Problems) {
	var f definitionFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, decodeProblems(name, err)
	}
	p := &f.Procedure
	sum := sha256.Sum256(data)
	p.Hash = hex.EncodeToString(sum[:])
	if p.Shape == "" {
		p.Shape = motcua.ShapeStandard
	}

	v := &validator{file: name, agencies: c.agencies}
	var formErr, exampleErr error
	if p.Form, formErr = nodeJSON(&f.Form); formErr != nil {
		v.add("form", "cannot be turned into JSON: %v", formErr)
	}
	if p.ExampleForm, exampleErr = nodeJSON(&f.ExampleForm); exampleErr != nil {
		v.add("example_form", "cannot be turned into JSON: %v", exampleErr)
	}
	// A form that could not be read would only add noise to the form rules.
	v.skipForm = formErr != nil || exampleErr != nil
	v.procedure(p, fileName(name), c.forms)
	if len(v.problems) > 0 {
		return nil, v.problems
	}
	return p, nil
}

var unknownField = regexp.MustCompile(`^line (\d+): field (\S+) not found in type \S+$`)

// decodeProblems turns a YAML error into problems, one per line the decoder
// complained about, naming the offending key where it can.
func decodeProblems(file string, err error) Problems {
	if errors.Is(err, io.EOF) {
		return Problems{{File: file, Message: "the file is empty"}}
	}
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return Problems{{File: file, Message: err.Error()}}
	}
	var ps Problems
	for _, msg := range te.Errors {
		if m := unknownField.FindStringSubmatch(msg); m != nil {
			ps = append(ps, Problem{file, m[2], "unknown key (line " + m[1] + ")"})
		} else {
			ps = append(ps, Problem{File: file, Message: msg})
		}
	}
	return ps
}

// nodeJSON converts a YAML value to JSON keeping the order of mapping keys:
// a form's properties are shown in the order the author wrote them. An absent
// or null node gives nil.
func nodeJSON(n *yaml.Node) (json.RawMessage, error) {
	if n.Kind == 0 || (n.Kind == yaml.ScalarNode && n.Tag == "!!null") {
		return nil, nil
	}
	var b bytes.Buffer
	if err := writeJSON(&b, n, 0); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func writeJSON(b *bytes.Buffer, n *yaml.Node, depth int) error {
	if depth > 100 {
		return errors.New("nested too deeply")
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return errors.New("empty document")
		}
		return writeJSON(b, n.Content[0], depth+1)
	case yaml.AliasNode:
		return writeJSON(b, n.Alias, depth+1)
	case yaml.MappingNode:
		b.WriteByte('{')
		seen := map[string]bool{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode || k.Tag == "!!merge" {
				return fmt.Errorf("line %d: keys must be plain scalars", k.Line)
			}
			if seen[k.Value] {
				return fmt.Errorf("line %d: key %q is repeated", k.Line, k.Value)
			}
			seen[k.Value] = true
			if i > 0 {
				b.WriteByte(',')
			}
			key, _ := json.Marshal(k.Value)
			b.Write(key)
			b.WriteByte(':')
			if err := writeJSON(b, n.Content[i+1], depth+1); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	case yaml.SequenceNode:
		b.WriteByte('[')
		for i, item := range n.Content {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, item, depth+1); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return err
		}
		// JSON has no dates: an unquoted 2024-01-31 stays the text written.
		if _, ok := v.(time.Time); ok {
			v = n.Value
		}
		s, err := json.Marshal(v)
		if err != nil {
			return fmt.Errorf("line %d: %v", n.Line, err)
		}
		b.Write(s)
	default:
		return fmt.Errorf("line %d: unsupported YAML node", n.Line)
	}
	return nil
}

// fileName is what a definition's code must equal.
func fileName(name string) string { return strings.TrimSuffix(path.Base(name), ".yaml") }
