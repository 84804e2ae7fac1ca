"""Parts of `dateline bench` (service/bench.py): workload, process statistics, report."""
