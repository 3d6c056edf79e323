// sdkgen writes the Pulumi SDKs of a package schema: `sdkgen --schema schema.json --out sdk --language nodejs,go,python`
// writes sdk/nodejs, sdk/go and sdk/python with the code generators of github.com/pulumi/pulumi/pkg/v3 at 3.248.0
// (go.mod), the release of the @pulumi/pulumi SDK this project pins: newer generators write TypeScript that
// needs a newer SDK (pulumi.runtime.existsResource, @pulumi/pulumi ^3.269). `pulumi package gen-sdk` cannot do it here: CLI 3.274 asks the language host to
// generate, and the hosts this project can build (nodejs 3.67.1, go 3.66.0) predate that call.
//
// The schema must be self-contained (no references to other packages' schemas) and carry a version. It is
// generated as a packable package (meta.supportPack), so the Go SDK has its own go.mod: its module path is the
// parent of language.go.importBasePath (set in the schema or with --go-import-base-path).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-plume sdkgen"

// noReferences is the schema loader: the schemas sdkgen takes stand alone, so any reference to another package is
// an error that names it (rather than a plugin download).
type noReferences struct{}

func (noReferences) refuse(name string) error {
	return fmt.Errorf("the schema references package %q; sdkgen only generates self-contained schemas", name)
}

func (l noReferences) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.refuse(pkg)
}

func (l noReferences) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.refuse(d.Name)
}

func (l noReferences) LoadPackageReference(pkg string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.refuse(pkg)
}

func (l noReferences) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return nil, l.refuse(d.Name)
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "sdkgen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	flags := flag.NewFlagSet("sdkgen", flag.ContinueOnError)
	schemaPath := flags.String("schema", "", "the package schema (JSON)")
	out := flags.String("out", "sdk", "the directory that receives one subdirectory per language")
	languages := flags.String("language", "nodejs,go,python", "comma-separated languages: nodejs, go, python")
	goImportBasePath := flags.String("go-import-base-path", "",
		"overrides language.go.importBasePath (the Go module is its parent path)")
	if err := flags.Parse(args); err != nil {
		return err
	}
	if *schemaPath == "" || flags.NArg() != 0 {
		return errors.New("usage: sdkgen --schema schema.json [--out sdk] [--language nodejs,go,python]")
	}

	spec, err := readSpec(*schemaPath, *goImportBasePath)
	if err != nil {
		return err
	}
	for _, language := range strings.Split(*languages, ",") {
		language = strings.TrimSpace(language)
		// Each generator records its language's settings on the package, so each gets a freshly bound one.
		pkg, diags, err := schema.BindSpec(spec, noReferences{}, schema.ValidationOptions{})
		if err != nil {
			return fmt.Errorf("binding %s: %w", *schemaPath, err)
		}
		if diags.HasErrors() {
			return fmt.Errorf("%s is not a valid schema: %s", *schemaPath, diags.Error())
		}
		var files map[string][]byte
		switch language {
		case "nodejs":
			files, err = nodejs.GeneratePackage(tool, pkg, nil, nil, false, noReferences{})
		case "go":
			files, err = gogen.GeneratePackage(tool, pkg, nil)
		case "python":
			files, err = python.GeneratePackage(tool, pkg, nil, noReferences{})
		default:
			return fmt.Errorf("unknown language %q (nodejs, go or python)", language)
		}
		if err != nil {
			return fmt.Errorf("generating the %s SDK: %w", language, err)
		}
		dir := filepath.Join(*out, language)
		if err := writeFiles(dir, files); err != nil {
			return err
		}
		fmt.Printf("%s: %d files in %s\n", language, len(files), dir)
	}
	return nil
}

// readSpec reads the schema and marks it packable (so the Go SDK gets a go.mod), applying the import path override.
func readSpec(path, goImportBasePath string) (schema.PackageSpec, error) {
	var spec schema.PackageSpec
	data, err := os.ReadFile(path)
	if err != nil {
		return spec, err
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		return spec, fmt.Errorf("%s: %w", path, err)
	}
	if spec.Version == "" {
		return spec, fmt.Errorf("%s has no version; the generated packages take theirs from it", path)
	}
	if spec.Meta == nil {
		spec.Meta = &schema.MetadataSpec{}
	}
	spec.Meta.SupportPack = true
	if goImportBasePath != "" {
		if spec.Language == nil {
			spec.Language = map[string]schema.RawMessage{}
		}
		goInfo := map[string]any{}
		if raw, ok := spec.Language["go"]; ok {
			if err := json.Unmarshal(raw, &goInfo); err != nil {
				return spec, fmt.Errorf("%s: language.go: %w", path, err)
			}
		}
		goInfo["importBasePath"] = goImportBasePath
		raw, err := json.Marshal(goInfo)
		if err != nil {
			return spec, err
		}
		spec.Language["go"] = raw
	}
	return spec, nil
}

// writeFiles replaces dir with the generated files (so files the schema no longer produces do not linger).
func writeFiles(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		target := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, files[name], 0o644); err != nil {
			return err
		}
	}
	return nil
}
