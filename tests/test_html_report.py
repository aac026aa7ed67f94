"""The HTML report: an index of findings first, the functions around them colored, files without
findings listed; self-contained, faithful to the source, and really rendered by Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from entropy_lint.findings import Finding
from entropy_lint.report.html import FileView, render_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
HEADER = "import os, pickle\n\n"
CODE = HEADER + "def run(cmd, blob):\n    os.system(cmd)  # caf\u00e9 \U0001f600\n    return pickle.loads(blob)\n"
C_CODE = "#include <string.h>\nvoid f(char *d, const char *s) {\n    strcpy(d, s);\n}\n"
CLEAN = "def add(a, b):\n    return a + b\n"


def make_report(folder: Path, *extra: str) -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "app.py").write_text(CODE)
    (folder / "util.c").write_text(C_CODE)
    (folder / "clean.py").write_text(CLEAN)
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "report", ".", "-o", "report.html", *extra],
                          cwd=folder, capture_output=True, text=True, env=os.environ.copy(), timeout=600)
    assert proc.returncode == 1, proc.stderr
    return folder / "report.html"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_report(tmp_path_factory.mktemp("html"), "--model", "smollm2-135m")


def sources(page: str) -> dict[str, str]:
    """Each file section's path -> the source text its view shows."""
    found = re.findall(r'<section class="file" id="(f\d+)"><h2>(.*?)</h2>.*?<pre class="src">(.*?)</pre>', page, re.S)
    return {html.unescape(path): html.unescape(re.sub(r"<[^>]+>", "", body)) for _anchor, path, body in found}


def index_rows(page: str) -> list[tuple[str, str, str, str]]:
    """(level, rule, link target, link text) of each row of the findings index, in order."""
    table = re.search(r'<section class="index" id="findings">(.*?)</section>', page, re.S).group(1)  # type: ignore[union-attr]
    return re.findall(r'<tr><td><span class="lvl (\w+)">.*?<code>([\w-]+)</code>.*?<a href="#([\w-]+)">(.*?)</a>', table)


@pytest.mark.model
def test_the_page_leads_with_an_index_linking_each_finding_to_its_line(report: Path) -> None:
    page = report.read_text()
    assert page.index('class="index"') < page.index('class="file"')  # the index comes first
    rows = index_rows(page)
    assert [(level, rule, text) for level, rule, _target, text in rows] == [
        ("error", "EL-PY-OS-SYSTEM", "app.py:4:5"), ("warning", "EL-PY-PICKLE", "app.py:5:12"),
        ("warning", "EL-C-STRCPY", "util.c:3:5")]
    for _level, _rule, target, text in rows:
        line = text.split(":")[1]
        assert target.endswith(f"-L{line}") and f'<span id="{target}">{line}</span>' in page
    model_views = re.findall(r'<td class="call">.*?</td><td>(.*?)</td>', page)
    assert len(model_views) == 3 and all(v.startswith("p=") and " nats" in v for v in model_views)


@pytest.mark.model
def test_by_default_the_functions_around_findings_are_colored_and_clean_files_only_listed(report: Path) -> None:
    page = report.read_text()
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing is fetched at view time
    shown = sources(page)
    assert shown == {"app.py": CODE, "util.c": C_CODE}  # every character, in order
    app = re.search(r'<h2>app.py</h2>.*?<pre class="src">(.*?)</pre>', page, re.S).group(1)  # type: ignore[union-attr]
    assert app.startswith(html.escape(HEADER, quote=True))  # the imports, outside the function: not scored
    assert '<span class="t r' in app[len(html.escape(HEADER)):]  # the function: colored
    others = re.search(r'<section class="others".*?</section>', page, re.S).group(0)  # type: ignore[union-attr]
    assert "<code>clean.py</code>" in others and "--full" in others
    assert page.count('class="lvl error"') == 2 and page.count('class="lvl warning"') == 4  # index + file lists
    assert 'data-tip="' in page and "expected:" in page


@pytest.mark.model
def test_full_colors_every_token_of_every_file(tmp_path: Path) -> None:
    page = make_report(tmp_path / "full", "--model", "smollm2-135m", "--full").read_text()
    shown = sources(page)
    assert shown == {"app.py": CODE, "clean.py": CLEAN, "util.c": C_CODE}
    app = re.search(r'<h2>app.py</h2>.*?<pre class="src">(.*?)</pre>', page, re.S).group(1)  # type: ignore[union-attr]
    assert app.startswith('<span class="t r') and 'class="others"' not in page


def test_without_a_model_the_page_shows_the_findings_and_their_code_unscored(tmp_path: Path) -> None:
    page = make_report(tmp_path / "plain", "--no-model").read_text()
    assert [(level, rule, text) for level, rule, _t, text in index_rows(page)] == [
        ("error", "EL-PY-OS-SYSTEM", "app.py:4:5"), ("warning", "EL-PY-PICKLE", "app.py:5:12"),
        ("warning", "EL-C-STRCPY", "util.c:3:5")]
    assert page.count("<td>not scored</td>") == 3 and '<span class="t' not in page
    assert sources(page) == {"app.py": CODE, "util.c": C_CODE}
    assert '<mark class="hit error">os.system(cmd)</mark>' in page and "<code>clean.py</code>" in page


def test_a_findings_best_fix_shows_in_the_index_when_fix_records_exist() -> None:
    finding = Finding(rule_id="EL-PY-OS-SYSTEM", level="error", path="app.py", line=4, column=5, end_line=4, end_column=19,
                      span=(24, 38), name_span=(27, 33), callee="system", snippet="os.system(cmd)", fingerprint="x:1")
    plain = render_html([FileView("app.py", CODE, None, [finding])], None, {})
    assert "best fix" not in plain  # no fix records: no column
    # The fixes work gives Finding a ``fixes`` tuple, best first; the page shows the first safe one.
    review = SimpleNamespace(preview="subprocess.run(cmd, shell=True)", description="", safety="review", delta_nats=None)
    safe = SimpleNamespace(preview="subprocess.run(shlex.split(cmd))", description="", safety="safe", delta_nats=-1.25)
    object.__setattr__(finding, "fixes", (review, safe))
    page = render_html([FileView("app.py", CODE, None, [finding])], None, {})
    assert "<th>best fix</th>" in page
    assert "<td><code>subprocess.run(shlex.split(cmd))</code> <span class=\"why\">1.2 nats more likely here</span></td>" in page


@pytest.mark.model
@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_chromium_renders_the_index_and_the_colored_source(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1400", f"--screenshot={shot}",
                    report.as_uri()], capture_output=True, timeout=120, check=True)
    from PIL import Image

    with Image.open(shot) as image:
        rgb = image.convert("RGB")
        width, height = rgb.size
        pixels = list(rgb.get_flattened_data())
    colors = set(pixels)
    assert len(colors) > 100, "the page rendered blank"

    def near(p: tuple[int, int, int], hex_color: int) -> bool:
        return all(abs(c - (hex_color >> s & 0xFF)) < 6 for c, s in zip(p, (16, 8, 0)))

    top10 = sum(1 for p in pixels if near(p, 0xB8F0B0))
    assert top10 > 500, "no token is painted in the top-10 color"
    # the index's level badges (error red) are painted in the top third of the first screen
    badges = [i // width for i, p in enumerate(pixels) if near(p, 0xC62828)]
    assert badges and min(badges) < height // 3, "the findings index is not at the top"
