"""Window planning and offset tiling: pure functions."""

from __future__ import annotations

import numpy as np
import pytest

from entropy_lint.model.scoring import ScoringSettings, plan_windows, tile_offsets


@pytest.mark.parametrize("n,window,context", [(1, 8, 4), (100, 16, 8), (1000, 128, 100), (37, 10, 1)])
def test_full_coverage_each_token_once_with_enough_context(n: int, window: int, context: int) -> None:
    windows = plan_windows(0, np.arange(n), window, context)
    covered = np.concatenate([w.targets for w in windows])
    assert covered.tolist() == list(range(n))
    for w in windows:
        assert w.length <= window
        assert w.start <= w.targets[0] and w.targets[-1] < w.stop
        # context counts the token's own input position: positions start..t
        assert all(w.start == 0 or t - w.start + 1 >= context for t in w.targets)


def test_first_window_starts_at_the_prefix_and_later_ones_overlap() -> None:
    windows = plan_windows(0, np.arange(50), 20, 5)
    assert windows[0].start == 0 and windows[0].stop == 20
    assert windows[1].start == 20 - 5 + 1


def test_sparse_targets_share_a_window_when_close_and_split_when_far() -> None:
    windows = plan_windows(0, np.array([500, 520, 5000]), window=2048, context=256)
    assert [w.targets.tolist() for w in windows] == [[500, 520], [5000]]
    assert windows[0].start == 500 - 255 and windows[0].stop == 521
    assert windows[1].length == 256


def test_a_gap_longer_than_the_context_starts_a_new_window_a_shorter_one_does_not() -> None:
    far = plan_windows(0, np.array([500, 501, 900]), window=2048, context=256)
    assert [w.targets.tolist() for w in far] == [[500, 501], [900]]
    assert far[1].start == 900 - 255  # it still reads its whole context
    (near,) = plan_windows(0, np.array([500, 501, 700]), window=2048, context=256)
    assert near.targets.tolist() == [500, 501, 700]
    contiguous = plan_windows(0, np.arange(300, 2000), window=512, context=128)
    assert np.concatenate([w.targets for w in contiguous]).tolist() == list(range(300, 2000))


def test_targets_near_the_start_are_scored_from_the_start() -> None:
    (w,) = plan_windows(0, np.array([3, 10]), window=64, context=32)
    assert w.start == 0


def test_tiling_covers_text_with_overlapping_and_gapped_offsets() -> None:
    starts, ends = tile_offsets(np.array([[0, 1], [0, 1], [0, 1], [1, 4], [5, 7]]), 9)
    assert starts.tolist() == [0, 0, 0, 1, 5]
    assert ends.tolist() == [0, 0, 1, 5, 9]


def test_settings_refuse_context_not_below_window() -> None:
    with pytest.raises(ValueError, match="context"):
        ScoringSettings(window=16, context=16)
