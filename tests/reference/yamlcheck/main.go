// yamlcheck: the reference YAML readers seamcheck is compared against
// (tests/parse_conformance.rs). For every file named on standard input (one
// path a line) it prints one JSON line saying whether each reader accepts it:
//
//   - "kubectl": kubectl's decoding: the stream cut into documents at `---`
//     lines (as k8s.io/apimachinery's YAMLReader does), each document through
//     sigs.k8s.io/yaml.YAMLToJSON (go-yaml v2, non-strict);
//   - "strict": the same with YAMLToJSONStrict (duplicate keys rejected, as
//     the API server's strict field validation does);
//   - "v3": gopkg.in/yaml.v3 decoding every document into interface{}, as
//     compose-go, Helm and kustomize do (duplicate keys rejected).
//
// Our own code, built in GOPATH mode from Debian's packages (no module
// download); see docs/architecture.md ("Parser conformance").
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	yaml3 "gopkg.in/yaml.v3"
	"sigs.k8s.io/yaml"
)

type verdict struct {
	Path    string `json:"path"`
	Kubectl string `json:"kubectl"`
	Strict  string `json:"strict"`
	V3      string `json:"v3"`
}

// documents cuts a stream at separator lines the way apimachinery's
// YAMLReader does: a line starting with `---` followed by nothing, blanks or
// a comment.
func documents(data []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		if bytes.HasPrefix(line, []byte("---")) {
			rest := strings.TrimSpace(string(line[3:]))
			if rest == "" || strings.HasPrefix(rest, "#") {
				if cur.Len() > 0 {
					docs = append(docs, append([]byte(nil), cur.Bytes()...))
				}
				cur.Reset()
				continue
			}
		}
		cur.Write(line)
	}
	if cur.Len() > 0 {
		docs = append(docs, cur.Bytes())
	}
	return docs
}

func result(err error) string {
	if err == nil {
		return "ok"
	}
	return "error: " + err.Error()
}

func kubectl(data []byte, convert func([]byte) ([]byte, error)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	for _, doc := range documents(data) {
		if _, err := convert(doc); err != nil {
			return err
		}
	}
	return nil
}

func v3(data []byte) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	dec := yaml3.NewDecoder(bytes.NewReader(data))
	for {
		var v interface{}
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<20)
	out := json.NewEncoder(os.Stdout)
	for in.Scan() {
		path := in.Text()
		if path == "" {
			continue
		}
		data, err := os.ReadFile(path)
		v := verdict{Path: path}
		if err != nil {
			v.Kubectl, v.Strict, v.V3 = result(err), result(err), result(err)
		} else {
			v.Kubectl = result(kubectl(data, func(d []byte) ([]byte, error) { return yaml.YAMLToJSON(d) }))
			v.Strict = result(kubectl(data, func(d []byte) ([]byte, error) { return yaml.YAMLToJSONStrict(d) }))
			v.V3 = result(v3(data))
		}
		if err := out.Encode(v); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
