"""The HTML report: self-contained, faithful to the source, and really rendered by Chromium."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.model  # every test here runs the real small model

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CODE = "import os, pickle\n\ndef run(cmd, blob):\n    os.system(cmd)  # caf\u00e9 \U0001f600\n    return pickle.loads(blob)\n"


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    (folder / "app.py").write_text(CODE)
    (folder / "util.c").write_text("#include <string.h>\nvoid f(char *d, const char *s) {\n    strcpy(d, s);\n}\n")
    (folder / "clean.py").write_text("def add(a, b):\n    return a + b\n")
    proc = subprocess.run([sys.executable, "-m", "entropy_lint", "check", ".", "--model", "smollm2-135m",
                           "--format", "html", "-o", "report.html"], cwd=folder, capture_output=True, text=True,
                          env=os.environ.copy(), timeout=600)
    assert proc.returncode == 1, proc.stderr
    return folder / "report.html"


def test_page_is_self_contained_and_reproduces_every_file(report: Path) -> None:
    page = report.read_text()
    assert not re.search(r"(src|href)=\"(https?:)?//", page)  # nothing is fetched at view time
    sources = re.findall(r'<pre class="src">(.*?)</pre>', page, re.S)
    texts = [html.unescape(re.sub(r"<[^>]+>", "", s)) for s in sources]
    assert CODE in texts and "def add(a, b):\n    return a + b\n" in texts  # files without findings are scored too
    assert "top 10" in page and "beyond" in page and "entropy of the prediction" in page
    assert page.count('class="lvl error"') == 1 and page.count('class="lvl warning"') == 2 and "EL-PY-PICKLE" in page
    assert 'data-tip="' in page and "expected:" in page


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_chromium_renders_the_colored_source(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1400", f"--screenshot={shot}",
                    report.as_uri()], capture_output=True, timeout=120, check=True)
    from PIL import Image

    with Image.open(shot) as image:
        pixels = list(image.convert("RGB").get_flattened_data())
    colors = set(pixels)
    assert len(colors) > 100, "the page rendered blank"
    top10 = sum(1 for p in pixels if abs(p[0] - 0xB8) < 6 and abs(p[1] - 0xF0) < 6 and abs(p[2] - 0xB0) < 6)
    assert top10 > 500, "no token is painted in the top-10 color"
