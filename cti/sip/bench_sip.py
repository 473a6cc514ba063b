"""Monitoring latency benchmarks on the embedded lab PBX (shared/BENCH.md).

`monitor_click_to_audio_ms`: `MonitorSession.start` → first audio frame at the supervisor.
`mode_switch_ms`: DTMF sent → the newly connected party hears the supervisor (the larger of
whisper and barge). Both come from the `check-monitoring` self-test run against a lab child
process; the full run repeats it and reports medians.
"""

from __future__ import annotations

import statistics

from cti.lab.process import LabProcess
from cti.sip.monitor_check import MonitoringCheck, lab_target


def bench_monitoring(quick: bool) -> dict[str, float]:
    runs = 1 if quick else 5
    clicks: list[float] = []
    switches: list[float] = []
    with LabProcess() as lab:
        info = lab.start()
        target = lab_target(info.raw)
        for _ in range(runs):
            result = MonitoringCheck(target).run()
            if not result.passed:
                raise RuntimeError(
                    f"monitoring check failed: {result.error or result.matrix_text()}"
                )
            clicks.append(result.click_to_audio_ms)
            switches.append(result.mode_switch_ms)
    return {
        "monitor_click_to_audio_ms": statistics.median(clicks),
        "mode_switch_ms": statistics.median(switches),
    }
