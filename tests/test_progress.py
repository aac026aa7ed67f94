"""The progress line: files, and while the model scores, tokens with a rate and the time left."""

from __future__ import annotations

from entropy_lint.progress import Progress


def test_the_progress_line_counts_tokens_with_a_rate_and_an_eta() -> None:
    progress = Progress(None, total=15)
    assert progress.line(now=0.0) == "entropy-lint [........................] 0/15 files"
    progress.planned(1_000)
    progress.scoring_since = 100.0
    progress.scored(250)
    assert progress.line(now=110.0) == ("entropy-lint [######..................] 0/15 files, 250/1,000 tokens, "
                                        "25 tokens/s, ETA 0:30")
    progress.scored(750)
    for _ in range(15):
        progress.file_done()
    assert progress.line(now=140.0) == "entropy-lint [########################] 15/15 files, 1,000/1,000 tokens, 25 tokens/s"
    remote = Progress(None, total=2)  # a server plans its own windows: no total, so no ETA
    remote.scoring_since = 0.0
    remote.scored(3_600)
    assert remote.line(now=2.0) == "entropy-lint [........................] 0/2 files, 3,600 tokens, 1,800 tokens/s"
