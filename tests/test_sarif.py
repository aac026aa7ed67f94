"""SARIF output: valid against the official schema and GitHub's copy, and what code scanning needs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from entropy_lint.findings import Finding, Metrics, TokenView
from entropy_lint.report.sarif import MAX_RESULTS, Notice, SarifContext, render_sarif
from entropy_lint.rules import by_id

SCHEMAS = Path(__file__).resolve().parents[2] / "shared" / "schemas"
RULES = by_id()


def finding(path: str = "src/app.py", line: int = 3, rule: str = "EL-PY-EVAL", scored: bool = True) -> Finding:
    metrics = Metrics(model="smollm2-135m", callee_entropy_mean=2.5, callee_entropy_max=2.5, callee_min_prob=0.01,
                      call_entropy_mean=1.5, call_entropy_max=3.0, call_min_prob=0.01, call_surprisal=9.0, call_tokens=4,
                      tokens=(TokenView("eval", 0.01, 2.5, 40, (("print", 0.3), ("eval", 0.01))),))
    return Finding(rule_id=rule, level="error", path=path, line=line, column=5, end_line=line, end_column=12,
                   span=(20, 27), name_span=(20, 24), callee="eval", snippet="eval(x)", fingerprint="abc123:1",
                   message="eval: runs code", metrics=metrics if scored else None)


def context(tmp_path: Path, cwd: Path | None = None, notices: tuple[Notice, ...] = ()) -> SarifContext:
    return SarifContext(root=str(tmp_path), cwd=str(cwd or tmp_path), model="smollm2-135m", notices=notices)


def render(findings: list[Finding], ctx: SarifContext) -> dict:  # type: ignore[type-arg]
    return json.loads(render_sarif(findings, RULES, ctx))


@pytest.mark.skipif(not SCHEMAS.is_dir(), reason="the shared schema folder (../shared/schemas) is absent outside CI")
@pytest.mark.parametrize("schema", ["sarif-schema-2.1.0.json", "github-sarif-schema-2.1.0.json"])
def test_validates_against_the_schema(tmp_path: Path, schema: str) -> None:
    import jsonschema

    doc = render([finding(), finding("b.py", 1, "EL-PY-PICKLE", scored=False)],
                 context(tmp_path, notices=(Notice("bin.py", "bin.py: binary file"),)))
    spec = json.loads((SCHEMAS / schema).read_text())
    validator = jsonschema.validators.validator_for(spec)
    validator(spec).validate(doc)


def test_driver_lists_only_the_rules_that_fired_with_github_properties(tmp_path: Path) -> None:
    run = render([finding(), finding(line=9)], context(tmp_path))["runs"][0]
    (rule,) = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "entropy-lint" and run["tool"]["driver"]["informationUri"]
    assert rule["id"] == "EL-PY-EVAL" and rule["name"] == "python-eval"
    assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
    assert "```python" in rule["help"]["markdown"] and rule["help"]["text"]
    assert rule["defaultConfiguration"]["level"] == "error"
    assert rule["properties"]["tags"] == ["security", "external/cwe/cwe-95"]
    assert rule["properties"]["security-severity"] == "8.8" and rule["properties"]["precision"] == "high"


def test_results_have_location_fingerprint_rank_and_model_properties(tmp_path: Path) -> None:
    (result,) = render([finding()], context(tmp_path))["runs"][0]["results"]
    assert result["ruleId"] == "EL-PY-EVAL" and result["ruleIndex"] == 0 and result["level"] == "error"
    location = result["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "src/app.py", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 3, "startColumn": 5, "endLine": 3, "endColumn": 12}
    assert result["partialFingerprints"]["primaryLocationLineHash"] == "abc123:1"
    assert 0 <= result["rank"] <= 100
    assert result["properties"]["calleeMinProbability"] == 0.01
    assert result["properties"]["modelExpected"] == {"atToken": "eval", "token": "print", "probability": 0.3}


def test_paths_are_relative_to_the_root_whatever_the_working_directory(tmp_path: Path) -> None:
    sub = tmp_path / "pkg" / "sub"
    sub.mkdir(parents=True)
    doc = render([finding("mod.py")], context(tmp_path, cwd=sub))
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "pkg/sub/mod.py"


def test_uris_are_percent_encoded(tmp_path: Path) -> None:
    doc = render([finding("my dir/a#b.py")], context(tmp_path))
    assert doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "my%20dir/a%23b.py"


def test_files_that_could_not_be_analysed_are_notifications(tmp_path: Path) -> None:
    doc = render([], context(tmp_path, notices=(Notice("x.bin", "x.bin: binary file (NUL byte at offset 3), skipped"),)))
    invocation = doc["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is True
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "warning" and "binary" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "x.bin"


def test_output_is_deterministic_and_has_no_timestamps(tmp_path: Path) -> None:
    findings = [finding("b.py", 2), finding("a.py", 7), finding("a.py", 1, "EL-PY-PICKLE")]
    first = render_sarif(findings, RULES, context(tmp_path))
    assert first == render_sarif(list(reversed(findings)), RULES, context(tmp_path))
    assert "Time" not in first
    doc = json.loads(first)
    assert doc["runs"][0]["automationDetails"]["id"] == "entropy-lint/"
    assert [r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]] == ["a.py", "a.py", "b.py"]


def test_results_beyond_githubs_limit_are_left_out_with_a_notification(tmp_path: Path) -> None:
    many = [finding(line=i + 1, scored=False) for i in range(MAX_RESULTS + 3)]
    doc = render(many, context(tmp_path))
    assert len(doc["runs"][0]["results"]) == MAX_RESULTS
    assert any("left out" in n["message"]["text"] for n in doc["runs"][0]["invocations"][0]["toolExecutionNotifications"])
