"""Sampling by stream time and the key-frame-only decision (exact contracts, property-tested)."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from egide.stream import KeyframeGate, TimeSampler
from egide.stream.reader import LagMeter

times = st.lists(st.floats(min_value=0, max_value=1e5, allow_nan=False), max_size=200)


@given(times=times.map(sorted), fps=st.sampled_from([0.25, 0.5, 1.0, 2.0, 5.0, 30.0]))
def test_first_frame_of_each_cell_is_taken(times: list[float], fps: float) -> None:
    sampler = TimeSampler(fps)
    taken = [t for t in times if sampler.take(t)]
    cells = [math.floor(t * fps + 1e-6) for t in times]
    expected = [t for i, t in enumerate(times) if i == 0 or cells[i] != cells[i - 1]]
    assert taken == expected


@given(times=times)
def test_a_jump_back_in_time_samples_again(times: list[float]) -> None:
    sampler = TimeSampler(1.0)
    previous: int | None = None
    for t in times:
        cell = sampler.cell(t)
        assert sampler.take(t) == (previous is None or cell != previous)
        if previous is None or cell != previous:
            previous = cell


def test_keyframes_only_when_they_come_once_per_interval() -> None:
    gate = KeyframeGate(1.0, "auto")
    for t in (0.0, 1.0):
        gate.observe(t)
    assert not gate.keyframes_only  # one gap is not enough to trust
    gate.observe(2.0)
    assert gate.keyframes_only
    gate.observe(4.0)  # a 2 s group of pictures: every cell no longer has a key frame
    assert not gate.keyframes_only
    gate.observe(0.5)  # time went back: start over
    assert not gate.keyframes_only
    assert KeyframeGate(1.0, "nonkey").keyframes_only
    fixed = KeyframeGate(1.0, "nonref")
    for t in (0.0, 0.5, 1.0):
        fixed.observe(t)
    assert not fixed.keyframes_only


def test_lag_counts_only_while_packets_come_without_waiting() -> None:
    meter = LagMeter()
    assert meter.update(100.0, 0.0, 0.0) == 0.0
    assert meter.update(101.0, 0.5, 0.0) == 0.5  # half a second behind, no wait: backlog
    assert meter.update(103.0, 0.6, 1.0) == 0.0  # waited for data: not behind
    assert meter.update(103.1, 5.0, 0.0) == 0.0  # ahead (a burst of buffered segments)
