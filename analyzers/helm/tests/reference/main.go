// Reference renderer for seamcheck's Helm engine differential test.
//
// Reads a JSON job on stdin: templates (name -> text), the names to render,
// and per render the data (.Values, .Release, .Chart, .Template,
// .Capabilities without APIVersions), the chart files and the API versions.
// Parses every template into one set with Sprig's TxtFuncMap plus Helm's
// functions written after Helm's engine (include, tpl, required, toYaml,
// fromYaml, fromYamlArray, toJson, fromJson, fromJsonArray, lookup), with
// missingkey=zero, and removes "<no value>" from the output as Helm does.
// Random and clock functions are replaced by the deterministic ones
// seamcheck documents. Prints a JSON map name -> {"out": ..., "err": ...}.
package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/Masterminds/sprig"
	"sigs.k8s.io/yaml"
)

type job struct {
	Templates   map[string]string `json:"templates"`
	Renders     []render          `json:"renders"`
}

type render struct {
	Name        string                 `json:"name"`
	Data        map[string]interface{} `json:"data"`
	Files       map[string]string      `json:"files"`
	APIVersions []string               `json:"apiVersions"`
}

type result struct {
	Out string `json:"out"`
	Err string `json:"err,omitempty"`
}

type versionSet []string

func (v versionSet) Has(x string) bool {
	for _, y := range v {
		if y == x {
			return true
		}
	}
	return false
}

type files map[string][]byte

func (f files) Get(name string) string { return string(f[name]) }
func (f files) GetBytes(name string) []byte { return f[name] }
func (f files) Lines(name string) []string {
	if f[name] == nil {
		return []string{}
	}
	return strings.Split(string(f[name]), "\n")
}
func (f files) Glob(pattern string) files {
	out := files{}
	for k, v := range f {
		if ok, _ := path.Match(pattern, k); ok {
			out[k] = v
		}
	}
	return out
}
func (f files) AsConfig() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = string(v)
	}
	return toYAML(m)
}
func (f files) AsSecrets() string {
	if len(f) == 0 {
		return ""
	}
	m := map[string]string{}
	for k, v := range f {
		m[path.Base(k)] = base64.StdEncoding.EncodeToString(v)
	}
	return toYAML(m)
}

func toYAML(v interface{}) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

func fromYAML(str string) map[string]interface{} {
	m := map[string]interface{}{}
	if err := yaml.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(str string) []interface{} {
	a := []interface{}{}
	if err := yaml.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

func toJSON(v interface{}) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func fromJSON(str string) map[string]interface{} {
	m := make(map[string]interface{})
	if err := json.Unmarshal([]byte(str), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(str string) []interface{} {
	a := []interface{}{}
	if err := json.Unmarshal([]byte(str), &a); err != nil {
		a = []interface{}{err.Error()}
	}
	return a
}

func cycle(alphabet string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[i%len(alphabet)])
	}
	return b.String()
}

func main() {
	var j job
	if err := json.NewDecoder(os.Stdin).Decode(&j); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	t := template.New("gotpl")
	t.Option("missingkey=zero")
	funcs := sprig.TxtFuncMap()
	delete(funcs, "env")
	delete(funcs, "expandenv")
	fixed := time.Unix(1704067200, 0).UTC()
	funcs["now"] = func() time.Time { return fixed }
	funcs["randAlphaNum"] = func(n int) string { return cycle("abcdefghijklmnopqrstuvwxyz0123456789", n) }
	funcs["randAscii"] = func(n int) string { return cycle("abcdefghijklmnopqrstuvwxyz0123456789", n) }
	funcs["randAlpha"] = func(n int) string { return cycle("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", n) }
	funcs["randNumeric"] = func(n int) string { return cycle("0123456789", n) }
	funcs["uuidv4"] = func() string { return "00000000-0000-4000-8000-000000000000" }
	funcs["toYaml"] = toYAML
	funcs["fromYaml"] = fromYAML
	funcs["fromYamlArray"] = fromYAMLArray
	funcs["toJson"] = toJSON
	funcs["fromJson"] = fromJSON
	funcs["fromJsonArray"] = fromJSONArray
	funcs["lookup"] = func(string, string, string, string) (map[string]interface{}, error) {
		return map[string]interface{}{}, nil
	}
	funcs["required"] = func(warn string, val interface{}) (interface{}, error) {
		if val == nil {
			return val, errors.New(warn)
		} else if s, ok := val.(string); ok && s == "" {
			return val, errors.New(warn)
		}
		return val, nil
	}
	funcs["include"] = func(name string, data interface{}) (string, error) {
		var buf strings.Builder
		err := t.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
	funcs["tpl"] = func(tpl string, vals interface{}) (string, error) {
		clone, err := t.Clone()
		if err != nil {
			return "", err
		}
		clone.Option("missingkey=zero")
		if _, err := clone.New("tpl").Parse(tpl); err != nil {
			return "", err
		}
		var buf strings.Builder
		err = clone.ExecuteTemplate(&buf, "tpl", vals)
		return strings.ReplaceAll(buf.String(), "<no value>", ""), err
	}
	t.Funcs(funcs)
	// Helm's parse order: deeper paths first, equal depth in reverse order.
	names := make([]string, 0, len(j.Templates))
	for n := range j.Templates {
		names = append(names, n)
	}
	sort.Slice(names, func(a, b int) bool {
		ca, cb := strings.Count(names[a], "/"), strings.Count(names[b], "/")
		if ca != cb {
			return ca > cb
		}
		return names[a] > names[b]
	})
	results := map[string]result{}
	for _, n := range names {
		if _, err := t.New(n).Parse(j.Templates[n]); err != nil {
			results[n] = result{Err: "parse: " + err.Error()}
		}
	}
	for _, r := range j.Renders {
		if res, ok := results[r.Name]; ok && res.Err != "" {
			continue
		}
		data := r.Data
		fs := files{}
		for k, v := range r.Files {
			fs[k] = []byte(v)
		}
		data["Files"] = fs
		if caps, ok := data["Capabilities"].(map[string]interface{}); ok {
			caps["APIVersions"] = versionSet(r.APIVersions)
		}
		var buf bytes.Buffer
		err := t.ExecuteTemplate(&buf, r.Name, data)
		out := strings.ReplaceAll(buf.String(), "<no value>", "")
		res := result{Out: out}
		if err != nil {
			res.Err = err.Error()
		}
		results[r.Name] = res
	}
	enc := json.NewEncoder(os.Stdout)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(results); err != nil {
		os.Exit(3)
	}
}
