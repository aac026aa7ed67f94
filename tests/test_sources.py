"""Reading sources: text, or one sentence saying why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from entropy_lint.errors import EntropyLintError
from entropy_lint.run.files import Candidate
from entropy_lint.run.sources import Source, SourceError, decode_source, load, read_source, source_from_text


def test_utf8_text_keeps_bom_and_line_endings(tmp_path: Path) -> None:
    path = tmp_path / "a.py"
    path.write_bytes("\ufeffx = 'é'\r\ny = 2\r".encode())
    assert read_source(path) == "\ufeffx = 'é'\r\ny = 2\r"


@pytest.mark.parametrize("data,words", [
    (b"\x89PNG\r\n\x1a\n\x00\x00", "binary file (NUL byte at offset 8)"),
    ("x = 'caf\u00e9'".encode("latin-1"), "not UTF-8 text (byte 0xe9 at offset 8)"),
])
def test_undecodable_bytes_are_one_sentence(data: bytes, words: str) -> None:
    with pytest.raises(SourceError, match=words.replace("(", r"\(").replace(")", r"\)")):
        decode_source(data, "f.py")


def test_size_limit_and_folders(tmp_path: Path) -> None:
    (tmp_path / "big.py").write_text("x = 1\n" * 50)
    with pytest.raises(SourceError, match="over the size limit of 100"):
        read_source(tmp_path / "big.py", 100)
    with pytest.raises(SourceError, match="is a directory"):
        read_source(tmp_path)


def test_load_reports_problems_against_the_name_the_user_gave(tmp_path: Path) -> None:
    (tmp_path / "bad.py").write_bytes(b"\xff\xff")
    source = load(Candidate(tmp_path / "bad.py", "shown/bad.py", explicit=True))
    assert source is not None and source.text is None and source.problem is not None
    assert source.problem.startswith("shown/bad.py: not UTF-8")


def test_unknown_extensions_decide_without_reading(tmp_path: Path) -> None:
    source = load(Candidate(tmp_path / "never-created.txt", "notes.txt", explicit=True))
    assert source == Source("notes.txt", None, None, "notes.txt: unsupported file type (no supported language by "
                            "extension or shebang), skipped")


def test_empty_files_say_so_when_named_and_vanish_when_walked() -> None:
    assert source_from_text("e.py", "  \n", explicit=True) == Source("e.py", None, "python", "e.py: empty file, nothing to lint",
                                                                     "note")
    assert source_from_text("bom.py", "\ufeff\n", explicit=True).problem == "bom.py: empty file, nothing to lint"  # type: ignore[union-attr]
    assert source_from_text("e.py", "", explicit=False) is None


def test_language_override_and_shebangs() -> None:
    assert source_from_text("-", "eval(x)\n", "python") == Source("-", "eval(x)\n", "python")
    assert source_from_text("run", "#!/usr/bin/env ruby\nputs 1\n") == Source("run", "#!/usr/bin/env ruby\nputs 1\n", "ruby")
    with pytest.raises(EntropyLintError, match="unknown language 'cobol'"):
        source_from_text("-", "x", "cobol")
