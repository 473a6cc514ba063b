"""Subprocess body of test_record_zone: a console on a floor in another time zone (the test sets
TZ) records 80 minutes of the lab's water hotline across that zone's midnight."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    from console.bench.sim_feed import SimFeed
    from cti.state.config import FloorConfig, definitions_json
    from db.record import open_record

    path, start = Path(sys.argv[1]), float(sys.argv[2])
    with open_record(
        path,
        "王班长",
        "desk-1",
        snapshot_every_s=120,
        clock=lambda: start - 60,
        definitions=definitions_json(FloorConfig()),
    ) as rec:
        feed = SimFeed("water", seed=3, start_epoch=start)
        for ev in feed.snapshot_items():
            rec.journal_event(feed.clock(), ev.name, ev.message.headers)
        for _ in range(960):  # 80 minutes in 5 s steps
            for ev in feed.advance(5):
                rec.journal_event(feed.clock(), ev.name, ev.message.headers)
        # the floor's 23:30 and 00:01: either side of its midnight
        rec.setting_changed("floor.sl_threshold_s", 20, 15, ts=start + 600)
        rec.sign_in("王班长", method="os_user", ts=start + 2460)
    return 0


if __name__ == "__main__":
    sys.exit(main())
