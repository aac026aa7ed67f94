"""`entropy-lint batch --ray` on a real local Ray instance (2 CPUs, started once for the module):
the same SARIF as `check`, the summary, skipping; scoring actors that pack requests from several
repositories into one engine call, and a lossless wire for their scores."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from batchkit import APP, assert_same_sarif, batch, check_sarif, summary, three_repositories

ray = pytest.importorskip("ray", reason="the Ray batch tests need ray (pip install 'entropy-lint[ray]')")

from entropy_lint.front.batch_ray import PART_CHARS, ScoringActor, pack, split, unpack  # noqa: E402
from entropy_lint.model.choice import OpenScorer  # noqa: E402
from entropy_lint.model.scoring import Span, TokenScores  # noqa: E402

TREE = str(Path(__file__).parent.parent)


@pytest.fixture(scope="module")
def cluster() -> Iterator[None]:
    """One Ray instance for the module (it takes seconds to start); its workers import this tree
    and inherit the session's isolated results cache through the environment."""
    temp = tempfile.mkdtemp(prefix="ray-", dir="/tmp")  # short: Ray's socket paths have a length limit
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (TREE, before) if p)
    ray.init(num_cpus=2, include_dashboard=False, _temp_dir=temp, object_store_memory=200 << 20,
             logging_level=logging.WARNING)
    try:
        yield
    finally:
        ray.shutdown()
        shutil.rmtree(temp, ignore_errors=True)
        if before is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = before


def test_detection_on_ray_writes_what_check_writes(tmp_path: Path, cluster: None) -> None:
    repos = three_repositories(tmp_path)
    out = tmp_path / "out"
    sources = [repos["app"].as_uri(), str(repos["mixed"]), str(repos["empty"]), (tmp_path / "gone").as_uri()]
    code, err = batch(*sources, "--out", str(out), "--ray", "auto", "--no-model")
    assert code == 2, err
    assert "Ray: 1 node, 2 CPUs, 0 GPUs; 0 scoring actors, 4 repositories at a time" in err
    rows = summary(out)
    for source in sources[:3]:
        clone = out / "repos" / rows[source]["name"]
        assert (out / rows[source]["sarif"]).read_text() == check_sarif(clone, "--no-model")
    assert [rows[s]["status"] for s in sources] == ["scanned", "scanned", "scanned", "failed"]
    assert [(rows[s]["files"], rows[s]["unanalysed"], rows[s]["findings"]) for s in sources[:3]] == \
        [(2, 0, 3), (3, 1, 1), (0, 0, 0)]

    code, err = batch(*sources, "--out", str(out), "--ray", "auto", "--no-model")
    assert [summary(out)[s]["status"] for s in sources] == ["skipped", "skipped", "skipped", "failed"], err


@pytest.mark.model
def test_scoring_actors_give_the_numbers_check_gives(tmp_path: Path, cluster: None) -> None:
    repos = three_repositories(tmp_path)
    sources = [str(repos["app"]), str(repos["mixed"]), str(repos["empty"])]
    out = tmp_path / "out"
    cache = ("--cache-dir", str(tmp_path / "cache"))  # this test's own: other tests scored these files too
    code, err = batch(*sources, "--out", str(out), "--ray", "auto", "--model", "smollm2-135m", *cache)
    assert code == 2, err  # mixed has a file that cannot be analysed
    assert "1 scoring actor, 2 repositories at a time" in err
    rows = summary(out)
    assert rows[sources[0]]["tokens_scored"] > 0 and rows[sources[0]]["model"] == "smollm2-135m"
    for source in sources:
        clone = out / "repos" / rows[source]["name"]
        # the actor's torch runs on 1 thread, `check`'s on all cores: sums may round differently
        assert_same_sarif((out / rows[source]["sarif"]).read_text(), check_sarif(clone, "--model", "smollm2-135m"))

    elsewhere = tmp_path / "elsewhere"  # not skipped (a new output folder), but every file is in the cache
    code, err = batch(*sources, "--out", str(elsewhere), "--ray", "auto", "--model", "smollm2-135m", *cache)
    again = summary(elsewhere)
    assert [(again[s]["cached"], again[s]["tokens_scored"]) for s in sources] == [(2, 0), (2, 0), (0, 0)], err
    for source in sources:  # the same, but for the checkout's folder (the SARIF's %SRCROOT%)
        moved = (elsewhere / again[source]["sarif"]).read_text().replace(str(elsewhere), str(out))
        assert moved == (out / rows[source]["sarif"]).read_text()


def test_a_repository_is_spread_over_every_actor_in_parts_of_equal_size() -> None:
    texts = ["a" * n for n in (10, 3, 7, 1, 5)]
    assert split(texts, 2) == [[0, 1], [2, 3, 4]]  # 13 characters each: longest first, to the lightest part
    assert split(texts[:1], 4) == [[0]]
    assert split(texts, 1) == [[0, 1, 2, 3, 4]]
    big = ["b" * (PART_CHARS // 2)] * 5  # over PART_CHARS: more parts than actors
    assert sorted(i for part in split(big, 1) for i in part) == [0, 1, 2, 3, 4] and len(split(big, 1)) == 3


class Counting:
    """A real scorer that remembers how many texts each engine call got."""

    def __init__(self, scorer: OpenScorer) -> None:
        self.inner = scorer.scorer
        self.name, self.identity = self.inner.name, self.inner.identity
        self.calls: list[int] = []

    def score(self, texts: Sequence[str], spans: Sequence[Sequence[Span] | None] | None = None) -> list[TokenScores]:
        self.calls.append(len(texts))
        return self.inner.score(texts, spans)


@pytest.mark.model
def test_an_actor_scores_requests_from_several_repositories_in_one_call(small_scorer: object) -> None:
    counting = Counting(OpenScorer(small_scorer))  # type: ignore[arg-type]
    actor = ScoringActor(OpenScorer(counting), counting.identity)
    requests = [(["import os\nos.system(cmd)\n", APP["app.py"]], [None, [(14, 36)]]),
                ([APP["copy.c"]], [[(54, 70)]]), (["x = eval(y)\n"], [None])]

    async def three_repositories_at_once() -> list[list[object]]:
        return await asyncio.gather(*(actor.score(texts, spans) for texts, spans in requests))  # type: ignore[arg-type]

    answers = asyncio.run(three_repositories_at_once())
    assert counting.calls == [4]
    for (texts, spans), packed in zip(requests, answers):
        for text, want, got in zip(texts, small_scorer.score(texts, spans), packed):  # type: ignore[attr-defined]
            rec = unpack(got, text)  # type: ignore[arg-type]
            np.testing.assert_array_equal(rec.scored, want.scored)
            np.testing.assert_allclose(rec.entropy[rec.scored], want.entropy[want.scored], atol=1e-6)


@pytest.mark.model
def test_packed_scores_unpack_to_what_the_engine_returned(small_scorer: object) -> None:
    text = APP["app.py"] + "\n# é ü 中文\n"
    for spans in ([(14, 36), (len(text) - 8, len(text) - 1)], None):
        [rec] = small_scorer.score([text], [spans])  # type: ignore[attr-defined]
        back = unpack(pack(rec), text)
        for name in ("token_ids", "starts", "ends", "scored", "logprob", "entropy", "rank", "top_ids", "top_probs"):
            np.testing.assert_array_equal(getattr(back, name), getattr(rec, name), err_msg=name)
        assert back.top_tokens[rec.scored].tolist() == rec.top_tokens[rec.scored].tolist()
        assert (back.error, back.meta) == (rec.error, rec.meta)
    [failed] = small_scorer.score([""])  # type: ignore[attr-defined]
    assert unpack(pack(failed), "").error == failed.error
