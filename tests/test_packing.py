"""Planning forward passes and the order of host and device work: pure functions, no model."""

from __future__ import annotations

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="the pass planning tests build torch tensors (pip install 'entropy-lint[model]')")
pytestmark = pytest.mark.model

from entropy_lint.model.overlap import StageTimes, Transfer, pipelined  # noqa: E402
from entropy_lint.model.packing import packed_inputs, padded_inputs, plan_packs, plan_padded, window_inputs
from entropy_lint.model.scoring import Window, plan_windows

PREFIX = 99
TEXTS = [np.arange(10, 20), np.arange(20, 23), np.arange(30, 37)]  # token ids of three texts


def win(text: int, start: int, stop: int) -> Window:
    return Window(text, start, stop, np.arange(start, stop))


def test_a_window_from_the_start_begins_with_the_prefix_and_a_later_one_mid_text() -> None:
    assert window_inputs(TEXTS[0], win(0, 0, 4), PREFIX).tolist() == [99, 10, 11, 12]
    assert window_inputs(TEXTS[0], win(0, 5, 9), PREFIX).tolist() == [14, 15, 16, 17]


def test_packs_keep_to_the_budget_and_hold_every_window_once() -> None:
    windows = [win(0, 0, 10), win(1, 0, 3), win(2, 0, 7), win(0, 2, 6), win(2, 3, 4)]
    packs = plan_packs(windows, budget=12)
    assert sorted(id(w) for p in packs for w in p) == sorted(id(w) for w in windows)
    assert all(sum(w.length for w in p) <= 12 for p in packs)
    assert [[w.length for w in p] for p in packs] == [[10], [7, 4], [3, 1]]  # longest first
    assert [[w.length for w in p] for p in plan_packs(windows[:2], budget=4)] == [[10], [3]]  # too long: alone


def test_padded_batches_count_padding_against_the_budget() -> None:
    windows = [win(0, 0, 10), win(2, 0, 7), win(1, 0, 3)]
    assert [[w.length for w in b] for b in plan_padded(windows, budget=20)] == [[10, 7], [3]]
    assert [[w.length for w in b] for b in plan_padded(windows, budget=0)] == [[10], [7], [3]]


def test_a_pack_restarts_positions_per_window_and_marks_the_boundaries() -> None:
    pack = [win(0, 0, 4), Window(0, 6, 9, np.array([7, 8])), win(1, 0, 3)]
    inputs = packed_inputs(pack, TEXTS, PREFIX)
    assert inputs.input_ids.tolist() == [[99, 10, 11, 12, 15, 16, 17, 99, 20, 21]]
    assert inputs.position_ids is not None and inputs.cu_seqlens is not None
    assert inputs.position_ids.tolist() == [[0, 1, 2, 3, 0, 1, 2, 0, 1, 2]]
    assert inputs.cu_seqlens.tolist() == [0, 4, 7, 10] and inputs.max_length == 4
    # token i of a window is predicted at stream row (window offset + i - start)
    assert inputs.rows.tolist() == [0, 1, 2, 3, 5, 6, 7, 8, 9]
    assert inputs.targets.tolist() == [10, 11, 12, 13, 17, 18, 20, 21, 22]
    stream = inputs.input_ids[0]
    for w, a in zip(pack, inputs.cu_seqlens):
        assert stream[a : a + w.length].tolist() == window_inputs(TEXTS[w.text], w, PREFIX).tolist()


def test_a_pack_of_one_window_is_a_plain_pass() -> None:
    inputs = packed_inputs([win(2, 0, 7)], TEXTS, PREFIX)
    assert inputs.position_ids is None and inputs.cu_seqlens is None
    assert inputs.input_ids.tolist() == [[99, 30, 31, 32, 33, 34, 35]]


def test_padded_rows_index_the_flattened_batch() -> None:
    batch = [win(0, 0, 4), win(1, 0, 3)]
    inputs = padded_inputs(batch, TEXTS, PREFIX)
    assert inputs.input_ids.tolist() == [[99, 10, 11, 12], [99, 20, 21, PREFIX]]
    assert inputs.rows.tolist() == [0, 1, 2, 3, 4, 5, 6]
    assert inputs.targets.tolist() == [10, 11, 12, 13, 20, 21, 22]
    assert inputs.tokens == 8


def test_stride_windows_pack_with_the_same_inputs_as_alone() -> None:
    ids = np.arange(100, 160)
    windows = plan_windows(0, np.arange(60), window=16, context=8)
    assert any(w.start > 0 for w in windows)
    inputs = packed_inputs(windows, [ids], PREFIX)
    assert inputs.cu_seqlens is not None
    for w, a, b in zip(windows, inputs.cu_seqlens[:-1], inputs.cu_seqlens[1:]):
        assert inputs.input_ids[0, a:b].tolist() == window_inputs(ids, w, PREFIX).tolist()
    assert sorted(inputs.targets.tolist()) == ids.tolist()


def test_the_next_item_is_submitted_before_the_current_one_is_collected() -> None:
    log: list[str] = []
    pipelined("abc", lambda x: log.append(f"submit {x}") or x.upper(),
              lambda x, handle: log.append(f"collect {x}={handle}"), depth=1)
    assert log == ["submit a", "submit b", "collect a=A", "submit c", "collect b=B", "collect c=C"]


def test_depth_zero_collects_each_item_at_once() -> None:
    log: list[str] = []
    pipelined([1, 2], lambda x: log.append(f"submit {x}"), lambda x, _h: log.append(f"collect {x}"), depth=0)
    assert log == ["submit 1", "collect 1", "submit 2", "collect 2"]


def test_transfer_on_the_cpu_round_trips_arrays() -> None:
    transfer = Transfer(torch.device("cpu"))
    a, b = np.arange(6).reshape(2, 3), np.array([7, 8])
    up = transfer.upload([a, b])
    assert up[0].tolist() == a.tolist() and up[1].tolist() == [7, 8]
    wait = transfer.download([up[0] * 2, torch.tensor([0.5])])
    doubled, half = wait()
    assert doubled.tolist() == (a * 2).tolist() and half.tolist() == [0.5]


def test_stage_times_split_the_wall_time_into_body_head_and_host() -> None:
    times, cpu = StageTimes(), torch.device("cpu")
    times.begin()
    for _ in range(2):
        times.mark(cpu, "start")
        times.mark(cpu, "body")
        times.mark(cpu, "head")
    times.end(cpu)
    shares = times.shares()
    assert times.batches == 2 and set(shares) == {"body", "head", "host"}
    assert abs(sum(shares.values()) - 1.0) < 1e-9 and times.wall > 0
