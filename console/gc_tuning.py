"""The cyclic garbage collector's settings for the console process (every command).

The console allocates at the PBX's event rate: a dict of headers per event, a queued tuple per
record row, repaint bookkeeping. Reference counting frees nearly all of it; the cyclic
collector only has to find the rare cycle. With CPython's default first-generation threshold
(700) it runs a young collection every few dozen events, and its older generations are
scanned often while the record writer's queue or the floor store hold hundreds of thousands
of live objects - work under the GIL that the record writer and the GUI thread wait for.

Measured with the record benchmark (300,000 journal rows, 2-CPU VM, three runs each):
defaults 47-55 k rows/s, (10_000, 10, 10) 58-61 k rows/s. A young collection then scans at
most ~10,000 objects: usually well under a millisecond, the longest seen in a trace under
load 2.6 ms; the floor benchmark's event-to-pixel p99 stayed at 116 ms (108.6-118 before).
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 10, 10)


def tune_collector() -> None:
    gc.set_threshold(*THRESHOLDS)
