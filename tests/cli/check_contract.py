#!/usr/bin/env python3
"""Checks ticketing payloads against a contract schema (tests/data/contracts).

Usage: check_contract.py SCHEMA.json PAYLOAD.json...
Prints one line per violation (payload file, JSON path, message) and exits 1
when there is any; exits 2 when the validator (Debian package
python3-jsonschema) is missing or the schema itself is not valid.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("check_contract.py: the Python module jsonschema is missing (Debian package python3-jsonschema)",
          file=sys.stderr)
    sys.exit(2)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    validator_class = jsonschema.Draft202012Validator
    try:
        validator_class.check_schema(schema)
    except jsonschema.exceptions.SchemaError as e:
        print(f"{argv[1]}: not a valid schema: {e.message}", file=sys.stderr)
        return 2
    validator = validator_class(schema)
    problems = 0
    for name in argv[2:]:
        with open(name, encoding="utf-8") as f:
            payload = json.load(f)
        for error in sorted(validator.iter_errors(payload), key=lambda e: list(e.absolute_path)):
            path = "/" + "/".join(str(p) for p in error.absolute_path)
            print(f"{name}: {path}: {error.message[:300]}")
            problems += 1
    print(f"checked {len(argv) - 2} payload(s) against {argv[1]}: {problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
