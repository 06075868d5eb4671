package documents

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
)

// node is a JSON value that keeps the order of object members: a form's
// fields are drawn in the order the author wrote them.
type node struct {
	isObj, isArr bool
	obj          []member
	arr          []*node
	val          any // string, json.Number, bool or nil
}

type member struct {
	key string
	val *node
}

func decodeOrdered(data []byte) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	n, err := decodeNode(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON schema")
	}
	return n, nil
}

func decodeNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		n := &node{isObj: true}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.obj = append(n.obj, member{kt.(string), v})
		}
		_, err := dec.Token() // '}'
		return n, err
	case json.Delim('['):
		n := &node{isArr: true}
		for dec.More() {
			v, err := decodeNode(dec)
			if err != nil {
				return nil, err
			}
			n.arr = append(n.arr, v)
		}
		_, err := dec.Token() // ']'
		return n, err
	}
	return &node{val: tok}, nil
}

// get returns the member key of an object, nil if absent. The last one wins,
// as with encoding/json.
func (n *node) get(key string) *node {
	if n == nil {
		return nil
	}
	var v *node
	for _, m := range n.obj {
		if m.key == key {
			v = m.val
		}
	}
	return v
}

func (n *node) members() []member {
	if n == nil {
		return nil
	}
	return n.obj
}

func (n *node) elems() []*node {
	if n == nil {
		return nil
	}
	return n.arr
}

func (n *node) str() string {
	if n == nil {
		return ""
	}
	s, _ := n.val.(string)
	return s
}

func (n *node) int() int {
	if n == nil {
		return 0
	}
	num, ok := n.val.(json.Number)
	if !ok {
		return 0
	}
	i, err := num.Int64()
	if err != nil {
		return 0
	}
	return int(i)
}

// display is how an enum or const value reads on paper.
func (n *node) display() string {
	switch v := n.val.(type) {
	case string:
		return v
	case json.Number:
		return v.String()
	case bool:
		if v {
			return "Có"
		}
		return "Không"
	}
	return ""
}
