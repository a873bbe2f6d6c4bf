"""The planner's probe radii always satisfy the pigeonhole bound that makes search exact."""

from __future__ import annotations

from math import comb

from hypothesis import given, settings
from hypothesis import strategies as st

from egide.index import _plan


@given(st.integers(1, 64), st.integers(0, 300))
def test_thresholds_cover_radius(n_chunks: int, radius: int) -> None:
    t = _plan.thresholds(n_chunks, radius)
    assert len(t) == n_chunks
    assert sum(x + 1 for x in t) == radius + 1
    assert max(t) - min(t) <= 1 and min(t) >= -1


@settings(deadline=None)
@given(st.integers(1, 12), st.integers(0, 14))
def test_flip_masks_enumerate_each_ball(bits: int, t_max: int) -> None:
    masks, counts = _plan.flip_masks(bits, t_max)
    assert len(set(masks)) == len(masks)
    for t in range(t_max + 1):
        ball = masks[: counts[t]]
        assert all(m.bit_count() <= t and m < (1 << bits) for m in ball)
        assert len(ball) == sum(comb(bits, k) for k in range(min(t, bits) + 1))


def test_layout_at_pdq_scales() -> None:
    assert _plan.choose_layout(100, 256) is None
    assert _plan.choose_layout(10_000_000, 256) == _plan.Layout(23, 11)
    assert _plan.choose_layout(1_000_000, 256) == _plan.Layout(21, 12)
