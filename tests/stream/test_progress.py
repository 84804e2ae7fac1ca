"""The runner's progress table, read and written through its typed rows (no pool needed)."""

from __future__ import annotations

import os

from service.stream.runner import STAGES, ProgressRow, ProgressTable, pool_context


def test_a_row_is_written_and_read_back() -> None:
    table = ProgressTable.create(pool_context(), 2)
    assert len(table) == 2
    assert [row.busy for row in table.rows()] == [False, False]
    table.mark(1, serial=7, index=3, stage=STAGES[1])
    idle, busy = table.rows()
    assert not idle.busy
    assert busy == ProgressRow(os.getpid(), 7, 3, STAGES[1], busy.started)
    assert busy.busy


def test_a_new_stage_keeps_the_article_s_clock_a_new_article_restarts_it() -> None:
    table = ProgressTable.create(pool_context(), 1)
    table.mark(0, 1, 0, "nlp")
    first = table.rows()[0].started
    table.mark(0, 1, 0, STAGES[-1])
    assert table.rows()[0].started == first and table.rows()[0].stage == STAGES[-1]
    table.mark(0, 1, 1, STAGES[1])
    assert table.rows()[0].started >= first and table.rows()[0].index == 1
    table.idle(0)
    assert not table.rows()[0].busy
