"""Where fixes go: JSON (the issue's shape exactly), SARIF (schema-valid result.fixes), text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from entropy_lint.findings import Finding, Fix, Replacement
from entropy_lint.report.json import render_json
from entropy_lint.report.sarif import SarifContext, render_sarif
from entropy_lint.report.text import render_text
from entropy_lint.rules import by_id
from entropy_lint.run.check import Target, check
from entropy_lint.run.config import Config

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas"
RULES = by_id()
CODE = "import requests, yaml\r\nr = requests.get(u, verify=False)\r\nc = yaml.load(fh)  # é\r\nvalue = eval(text)\r\n"


def findings(tmp_path: Path) -> list[Finding]:
    (tmp_path / "app.py").write_bytes(CODE.encode())
    return check(Config(use_model=False, cache=False), Target(paths=(str(tmp_path / "app.py"),))).findings


def test_json_fixes_have_exactly_the_issues_shape(tmp_path: Path) -> None:
    doc = json.loads(render_json(findings(tmp_path), [], RULES))
    by_rule = {f["rule_id"]: f for f in doc["findings"]}
    assert by_rule["EL-PY-YAML-LOAD"]["fixes"] == [
        {"description": "yaml.safe_load: plain data only", "safety": "safe", "delta_nats": None,
         "replacements": [{"start_line": 3, "start_column": 10, "end_line": 3, "end_column": 14, "text": "safe_load"}]},
        {"description": "Loader=yaml.SafeLoader: plain data only", "safety": "safe", "delta_nats": None,
         "replacements": [{"start_line": 3, "start_column": 17, "end_line": 3, "end_column": 17,
                           "text": ", Loader=yaml.SafeLoader"}]},
    ]
    assert by_rule["EL-PY-REQUESTS-NO-VERIFY"]["fixes"][0]["replacements"] == [
        {"start_line": 2, "start_column": 19, "end_line": 2, "end_column": 33, "text": ""}]
    eval_fix = by_rule["EL-PY-EVAL"]["fixes"][0]
    assert eval_fix["replacements"] == [
        {"start_line": 1, "start_column": 22, "end_line": 1, "end_column": 22, "text": "\r\nimport ast"},
        {"start_line": 4, "start_column": 9, "end_line": 4, "end_column": 19, "text": "ast.literal_eval(text)"}]
    assert all(set(f) == {"description", "safety", "delta_nats", "replacements"} for x in doc["findings"] for f in x["fixes"])


def test_text_lines_show_the_default_fix(tmp_path: Path) -> None:
    lines = render_text(findings(tmp_path)).splitlines()
    assert any(line.endswith("; fix: `yaml.safe_load(fh)` [EL-PY-YAML-LOAD]") for line in lines), lines
    assert any("fix (review): `requests.get(u)` [EL-PY-REQUESTS-NO-VERIFY]" in line for line in lines), lines


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="the shared schema folder (../shared/schemas) is absent outside CI")
@pytest.mark.parametrize("schema", ["sarif-schema-2.1.0.json", "github-sarif-schema-2.1.0.json"])
def test_sarif_fixes_validate_against_the_schema(tmp_path: Path, schema: str) -> None:
    import jsonschema

    found = findings(tmp_path)
    ranked = Fix("d", "review", -0.25, (Replacement(0, 0, 1, 1, 1, 1, "import x\n"),), "x")
    found.append(Finding(rule_id="EL-PY-EVAL", level="error", path=str(tmp_path / "b.py"), line=1, column=1, end_line=1,
                         end_column=8, span=(0, 7), name_span=(0, 4), callee="eval", snippet="eval(x)", fingerprint="f:1",
                         fixes=(ranked,)))
    doc = json.loads(render_sarif(found, RULES, SarifContext(root=str(tmp_path), cwd=str(tmp_path))))
    spec = json.loads((SCHEMAS / schema).read_text())
    jsonschema.validators.validator_for(spec)(spec).validate(doc)
    results = {r["ruleId"]: r for r in doc["runs"][0]["results"]}
    (first, second) = results["EL-PY-YAML-LOAD"]["fixes"]
    assert first == {
        "description": {"text": "yaml.safe_load: plain data only"},
        "artifactChanges": [{"artifactLocation": {"uri": "app.py", "uriBaseId": "%SRCROOT%"}, "replacements": [
            {"deletedRegion": {"startLine": 3, "startColumn": 10, "endLine": 3, "endColumn": 14},
             "insertedContent": {"text": "safe_load"}}]}],
        "properties": {"safety": "safe"},
    }
    assert second["artifactChanges"][0]["replacements"][0]["deletedRegion"] == \
        {"startLine": 3, "startColumn": 17, "endLine": 3, "endColumn": 17}
    assert [r for r in doc["runs"][0]["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "b.py"
            ][0]["fixes"][0]["properties"] == {"safety": "review", "deltaNats": -0.25}
