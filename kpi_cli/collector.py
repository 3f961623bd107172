"""Python's cyclic garbage collector held off while a review builds its many small objects.

A `--by campaign` review builds 40,000 KPI views, their histories, windows and JSON rows: objects
that live to the end of the run or are freed by their reference counts, with no cycles for the
collector to find. Each of its passes still walks every young object, and each full pass every
object alive (the 10,000 parts of the split, the views), which cost ~0.2 s of building the views
alone (issue 12). Memory is unchanged but for cycles made while it is held, which are collected
when it resumes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_held() -> Iterator[None]:
    """The collector off inside the block; on again after it (also after an error) if it was on."""
    if not gc.isenabled():  # held already (a block inside another): the outer one resumes it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
