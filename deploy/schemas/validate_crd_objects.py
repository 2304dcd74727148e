#!/usr/bin/env python3
"""Validates custom resources against the OpenAPI v3 schemas of their CRDs.

    validate_crd_objects.py RENDERED.yaml CRD.yaml... [--expect KIND...]

RENDERED.yaml is the kustomize output of deploy/k8s. Every object whose
apiVersion belongs to one of the CRDs is validated against the schema of that
CRD version, strictly: like the API server's strict field validation, an
unknown field is an error (every object schema without
`x-kubernetes-preserve-unknown-fields` or `additionalProperties` is closed).
An object of a CRD group whose version or kind no CRD serves is an error, and
so is an --expect kind with no object.

Not checked: `x-kubernetes-validations` (CEL rules need a CEL evaluator; the
script counts and prints them) and string formats.

--self-test instead mutates each object (an unknown field in spec, a wrong
type at a required or typed field) and fails unless every mutation is
rejected, so the check is known to be able to fail.

Needs PyYAML and jsonschema.
"""
import argparse
import copy
import sys

import jsonschema
import yaml


def openapi_to_jsonschema(node, cel_rules):
    """OpenAPI v3 (structural CRD schema) -> JSON Schema draft 4, closed."""
    if isinstance(node, list):
        return [openapi_to_jsonschema(item, cel_rules) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "x-kubernetes-validations":
            cel_rules.append(len(value))
            continue
        if key in ("properties", "patternProperties"):
            out[key] = {name: openapi_to_jsonschema(sub, cel_rules) for name, sub in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf"):
            out[key] = openapi_to_jsonschema(value, cel_rules)
        elif key.startswith("x-kubernetes-") or key in ("description", "nullable", "format"):
            continue
        elif key == "pattern" and "(?i)" in value:
            # Go's RE2 allows a flag group after ^; Python only at the start.
            out[key] = "(?i)" + value.replace("(?i)", "")
        else:
            out[key] = value
    if node.get("nullable") and "type" in out:
        out["type"] = [out["type"], "null"]
    if node.get("x-kubernetes-int-or-string"):
        out.pop("type", None)
        out.setdefault("anyOf", [{"type": "integer"}, {"type": "string"}])
    closed = (
        node.get("type") == "object"
        and "properties" in node
        and "additionalProperties" not in node
        and not node.get("x-kubernetes-preserve-unknown-fields")
    )
    if closed:
        out["additionalProperties"] = False
    return out


def load_crds(paths):
    """(group, version, kind) -> (validator, CEL rule count, crd name)."""
    served = {}
    for path in paths:
        with open(path) as handle:
            for crd in yaml.safe_load_all(handle):
                if not crd or crd.get("kind") != "CustomResourceDefinition":
                    continue
                group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
                for version in crd["spec"]["versions"]:
                    if not version.get("served"):
                        continue
                    cel_rules = []
                    schema = openapi_to_jsonschema(version["schema"]["openAPIV3Schema"], cel_rules)
                    jsonschema.Draft4Validator.check_schema(schema)
                    served[(group, version["name"], kind)] = (
                        jsonschema.Draft4Validator(schema),
                        sum(cel_rules),
                        crd["metadata"]["name"],
                    )
    return served


def objects_of(path, groups):
    with open(path) as handle:
        for doc in yaml.safe_load_all(handle):
            if doc and doc.get("apiVersion", "").split("/")[0] in groups:
                yield doc


def errors_of(validator, obj):
    return sorted(
        f"{'.'.join(str(p) for p in error.absolute_path) or '<root>'}: {error.message}"
        for error in validator.iter_errors(obj)
    )


def mutations(obj):
    """Broken copies of a valid object, each of which must be rejected."""
    unknown = copy.deepcopy(obj)
    unknown["spec"]["attacheUnknownField"] = True
    yield "unknown field spec.attacheUnknownField", unknown
    wrong_type = copy.deepcopy(obj)
    first = next(iter(wrong_type["spec"]))
    wrong_type["spec"][first] = {"not": "the declared type"} if not isinstance(
        wrong_type["spec"][first], dict
    ) else 12345
    yield f"wrong type at spec.{first}", wrong_type
    no_spec = copy.deepcopy(obj)
    no_spec["spec"] = "a string"
    yield "spec is a string", no_spec


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("rendered")
    parser.add_argument("crds", nargs="+")
    parser.add_argument("--expect", nargs="*", default=[])
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args()

    served = load_crds(args.crds)
    groups = {group for group, _, _ in served}
    failures, seen = [], set()
    for obj in objects_of(args.rendered, groups):
        group, _, version = obj["apiVersion"].partition("/")
        kind, name = obj["kind"], obj["metadata"]["name"]
        label = f"{kind}/{name} ({obj['apiVersion']})"
        entry = served.get((group, version, kind))
        if entry is None:
            failures.append(f"{label}: no CRD here serves this group, version and kind")
            continue
        validator, cel_rules, crd_name = entry
        seen.add(kind)
        if args.self_test:
            for what, broken in mutations(obj):
                if errors_of(validator, broken):
                    print(f"ok   {label}: rejects {what}")
                else:
                    failures.append(f"{label}: {what} was NOT rejected")
            continue
        errors = errors_of(validator, obj)
        if errors:
            failures.extend(f"{label}: {error}" for error in errors)
        else:
            note = f"; {cel_rules} CEL rules not evaluated" if cel_rules else ""
            print(f"ok   {label} against {crd_name}{note}")
    for kind in args.expect:
        if kind not in seen:
            failures.append(f"no {kind} in {args.rendered}")
    for failure in failures:
        print(f"FAIL {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
