"""The time zone a record's times belong to.

The record stores instants (UTC microseconds). Days, intervals and clock times are the floor's:
a review on a PC in another zone must cut the day at the floor's midnight and show 09:00 as
the floor lived it, or its interval table and replay disagree with what the supervisor saw.
So every session writes its workstation's zone into its record_open row, by IANA name (DST
rules follow) and by its UTC offset then (used when the reviewing PC does not know the name).
Records written before this hold no zone; they are shown in the reviewing PC's zone, as
before.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)

_MAX_OFFSET_S = 18 * 3600  # what datetime.timezone accepts (less than a day; real ones ≤ 14 h)


def local_zone_name() -> str:
    """The workstation's IANA zone ("Asia/Shanghai"); "" when the system does not say."""
    try:
        import tzlocal

        return str(tzlocal.get_localzone_name() or "")
    except Exception as exc:  # a broken or unusual system setting: the offset still serves
        log.info("local time zone has no IANA name: %s", exc)
        return ""


def zone_details(now: float) -> dict[str, Any]:
    """What a session writes about its zone into its record_open row. A name whose offset
    disagrees with the clock the console actually runs on (a TZ variable set after the name
    was read, a hand-set offset) is left out: the offset is what the times were."""
    offset = datetime.fromtimestamp(now, UTC).astimezone().utcoffset() or timedelta(0)
    name = local_zone_name()
    if name:
        try:
            if datetime.fromtimestamp(now, ZoneInfo(name)).utcoffset() != offset:
                name = ""
        except (ZoneInfoNotFoundError, ValueError, OSError):
            name = ""
    return {"name": name, "utc_offset_s": int(offset.total_seconds())}


def zone_from_details(data: object) -> tzinfo | None:
    """The zone a record_open row names: by name when this PC knows it, else the fixed
    offset; None for rows without a usable zone (older records, hand-edited files)."""
    if not isinstance(data, Mapping):
        return None
    name = data.get("name")
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):
            log.info("time zone %r unknown here: using the recorded UTC offset", name)
    offset = data.get("utc_offset_s")
    if isinstance(offset, int) and not isinstance(offset, bool) and abs(offset) < _MAX_OFFSET_S:
        return timezone(timedelta(seconds=offset))
    return None


def wall_time(ts: float, zone: tzinfo | None) -> datetime:
    """`ts` as a naive clock time of `zone` (None: this PC's zone)."""
    if zone is None:
        return datetime.fromtimestamp(ts)
    return datetime.fromtimestamp(ts, zone).replace(tzinfo=None)


def epoch(wall: datetime, zone: tzinfo | None) -> float:
    """A naive clock time of `zone` (None: this PC's zone) as epoch seconds."""
    return (wall if zone is None else wall.replace(tzinfo=zone)).timestamp()


def zone_text(zone: tzinfo | None, ts: float) -> str:
    """ "UTC+08:00 Asia/Shanghai" for a recorded zone at `ts`; "" for None."""
    if zone is None:
        return ""
    offset = datetime.fromtimestamp(ts, zone).utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    text = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    key = getattr(zone, "key", None)
    return f"{text} {key}" if key else text


def same_clock(zone: tzinfo | None, ts: float) -> bool:
    """Whether `zone` shows `ts` as this PC does (then nothing needs saying about zones)."""
    if zone is None:
        return True
    return (
        datetime.fromtimestamp(ts, zone).utcoffset()
        == datetime.fromtimestamp(ts).astimezone().utcoffset()
    )
