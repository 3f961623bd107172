"""The split's monthly sums scattered into one ragged array (metrics.split_sums) hold, for every
part, exactly the block the per-part loop filled before (issue 12: that loop cost ~0.1 s for
10,000 campaigns). Reference: that loop, written out here, on seeded random grouped rows."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.metrics.split_sums import ragged


def _per_part(parts: np.ndarray, slots: np.ndarray, rows: np.ndarray, months: int) -> list[np.ndarray]:
    """The loop `Dataset._monthly_sums_of` ran per part: NaN from its first slot to the end, its rows placed."""
    blocks: list[np.ndarray] = []
    if not len(rows):  # the split leaves a frame without named rows to the sums by text
        return blocks
    starts = [int(i) for i in np.flatnonzero(np.r_[True, parts[1:] != parts[:-1]])]
    for start, stop in zip(starts, [*starts[1:], len(rows)], strict=True):
        at = int(slots[start])
        filled = np.full((months - at, rows.shape[1]), np.nan)
        filled[slots[start:stop] - at] = rows[start:stop]
        blocks.append(filled)
    return blocks


@st.composite
def grouped(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Rows as the grouped sum hands them: sorted by part, then slot, each (part, slot) once."""
    months = draw(st.integers(1, 14))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    keys = sorted({(int(p), int(s)) for p, s in rng.integers(0, [9, months], size=(rng.integers(0, 40), 2))})
    parts = np.array([k[0] for k in keys], dtype=np.int64)
    slots = np.array([k[1] for k in keys], dtype=np.int64)
    rows = rng.normal(size=(len(keys), 3))
    rows[rng.random(rows.shape) < 0.2] = np.nan  # a month where a metric was never measured
    return parts, slots, rows, months


@settings(max_examples=200, deadline=None)
@given(grouped())
def test_every_parts_block_is_the_block_the_loop_filled(case: tuple[np.ndarray, ...]) -> None:
    parts, slots, rows, months = case
    flat, present, first, offsets = ragged(parts, slots, rows, int(months))
    blocks = _per_part(parts, slots, rows, int(months))
    assert present.tolist() == sorted(set(parts.tolist()))
    assert len(offsets) == len(blocks) + 1 and int(offsets[-1]) == len(flat)
    for i, block in enumerate(blocks):
        got = flat[int(offsets[i]) : int(offsets[i + 1])]
        assert int(first[i]) == months - len(block)
        # Bit for bit (NaN included): the sums are moved, never recomputed.
        assert got.tobytes() == block.tobytes()


def test_a_small_case_by_hand() -> None:
    """Part 0 has months 1 and 3 of 0..3, part 4 month 2: blocks of 3 and 2 rows."""
    flat, present, first, offsets = ragged(
        np.array([0, 0, 4]), np.array([1, 3, 2]), np.array([[1.0], [3.0], [7.0]]), 4
    )
    assert present.tolist() == [0, 4] and first.tolist() == [1, 2] and offsets.tolist() == [0, 3, 5]
    assert np.array_equal(flat[:, 0], [1.0, np.nan, 3.0, 7.0, np.nan], equal_nan=True)


def test_a_month_after_the_reviews_is_refused() -> None:
    with pytest.raises(RuntimeError, match="after the review's month"):
        ragged(np.array([0]), np.array([4]), np.array([[1.0]]), 4)
