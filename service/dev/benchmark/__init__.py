"""Parts of `dateline bench` (service/dev/bench.py): workload, process statistics, report."""
