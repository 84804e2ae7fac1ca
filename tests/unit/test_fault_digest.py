"""The fault suite's log digest (tests/faults/support.py): what a failed scenario prints of each
worker's log, so a CI failure is readable from its output alone."""

from __future__ import annotations

import json

from tests.faults.support import log_digest


def _line(time: str, level: str, logger: str, message: str) -> str:
    return json.dumps(
        {"time": f"2026-12-08T{time}+00:00", "level": level, "logger": logger, "message": message}
    )


def test_a_retry_loop_is_one_line_with_its_count_and_info_chatter_is_left_out() -> None:
    log = "\n".join(
        [
            _line("00:30:17.343", "INFO", "faust.app.base", "Executing _on_partitions_assigned"),
            _line("00:30:17.344", "INFO", "service.stream.app", "partitions assigned: ['raw[0]']"),
            *[
                _line(
                    f"00:30:{17 + i // 10:02d}.{i % 10}00",
                    "ERROR",
                    "aiokafka.consumer.fetcher",
                    f"Failed fetch offsets from 2: [Error 6] NotLeader raw[{0}] try {i}",
                )
                for i in range(50)
            ],
            "not json: a stray print",
            _line("00:34:14.860", "INFO", "faust.tables.recovery", "[^---Recovery]: Worker ready"),
        ]
    )
    digest = log_digest(log)
    assert len(digest) == 3, digest
    assert digest[0].startswith("00:30:17.344 INFO service.stream.app: partitions assigned")
    assert digest[1].endswith("(x50 in a row)") and "Failed fetch offsets from 2" in digest[1]
    assert "Worker ready" in digest[2]
