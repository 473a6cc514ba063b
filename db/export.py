"""Exporting a record (or a filtered part of it) as tables: CSV and XLSX here, PDF in console/.

What is exported:
- the audit trail: every supervisor-side row in chain order (record opened, action intents
  and results, monitoring start / mode / end, alarms, acknowledgements, clears, sign-ins,
  settings, retention cuts), with the row's hash so a printed copy can be checked later;
- for XLSX and PDF also one table each for monitoring sessions (with their mode segments),
  actions, alarms, sign-ins and setting changes;
- PBX events only when asked (`include_journal`): a busy day has hundreds of thousands.

CSV is UTF-8 with a byte-order mark so spreadsheet programs on Chinese Windows read the
Chinese text correctly. Times are local, ISO 8601 with offset. Files are written to a
temporary name beside the target and renamed, so a failed export leaves no half file.
"""

from __future__ import annotations

import csv
import os
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from cti.state.config import FloorConfig
from cti.state.metrics import IntervalMetrics, combined_metrics
from db.errors import RecordError
from db.review import DEFINITIONS, Review
from db.review_rows import ReviewFilter
from db.zone import wall_time, zone_text

Cell = str | int | float | None
XLSX_MAX_ROWS = 1_048_575
# A session or action whose end never reached the record (the console was killed, the PC
# lost power): said in the cell, since an empty cell reads as "nothing to say".
NO_END = "(no end recorded)"
NO_RESULT = "(no result recorded)"


INTERVAL_DAYS_MAX = 31  # an export carries each day's interval report up to this many days
ALL_QUEUES = "All queues"
INTERVAL_COLUMNS = (
    "queue",
    "interval",
    "offered",
    "answered",
    "answered in T",
    "abandoned",
    "short abandoned",
    "SL %",
    "ASA s",
    "AHT s",
)


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[str, ...]
    rows: list[list[Cell]]


def when(ts: float | None, zone: tzinfo | None = None) -> str:
    """ISO time with its UTC offset, in the record's zone (None: this PC's)."""
    if ts is None:
        return ""
    if zone is None:
        return datetime.fromtimestamp(ts).astimezone().isoformat(timespec="seconds")
    return datetime.fromtimestamp(ts, zone).isoformat(timespec="seconds")


def describe_filter(f: ReviewFilter, zone: tzinfo | None = None) -> str:
    parts = []
    if f.start is not None:
        parts.append(f"from {when(f.start, zone)}")
    if f.end is not None:
        parts.append(f"to {when(f.end, zone)}")
    for name in ("supervisor", "agent", "queue", "action"):
        value = getattr(f, name)
        if value is not None:
            parts.append(f"{name} {value}")
    return ", ".join(parts) or "everything"


AUDIT_COLUMNS = (
    "seq",
    "time",
    "kind",
    "supervisor",
    "workstation",
    "agent",
    "queue",
    "action",
    "summary",
    "row_hash",
)


def audit_table(review: Review, f: ReviewFilter, include_journal: bool = False) -> Table:
    zone = review.zone
    rows: list[list[Cell]] = [
        [
            e.seq,
            when(e.ts, zone),
            e.kind,
            e.supervisor,
            e.workstation,
            e.agent,
            e.queue,
            e.action,
            e.summary,
            e.row_hash,
        ]
        for e in review.audit_trail(f)
    ]
    if include_journal:
        for j in _all_journal(review, f):
            summary = " ".join(f"{k}={v}" for k, v in j.fields.items() if k != "Event")
            rows.append(
                [
                    j.seq,
                    when(j.ts, zone),
                    "pbx_event",
                    "",
                    "",
                    j.interface,
                    j.queue,
                    j.name,
                    summary,
                    "",
                ]
            )
        rows.sort(key=lambda r: int(r[0] or 0))
    return Table("Audit trail", AUDIT_COLUMNS, rows)


def _all_journal(review: Review, f: ReviewFilter) -> list[Any]:
    out: list[Any] = []
    page = 50_000
    while True:
        chunk = review.journal(f, limit=page, offset=len(out))
        out.extend(chunk)
        if len(chunk) < page:
            return out


def detail_tables(review: Review, f: ReviewFilter) -> list[Table]:
    zone = review.zone
    sessions = [
        [
            s.seq,
            when(s.started, zone),
            when(s.ended, zone),
            s.supervisor,
            s.workstation,
            s.agent,
            s.queue,
            s.caller,
            " → ".join(f"{g.mode} {when(g.start, zone)[11:19]}" for g in s.segments),
            s.end_reason or NO_END,
        ]
        for s in review.monitor_sessions(f)
    ]
    actions = [
        [
            a.seq,
            when(a.ts, zone),
            a.supervisor,
            a.workstation,
            a.action,
            a.agent,
            a.queue,
            ", ".join(f"{k}={v}" for k, v in a.params.items()),
            "" if a.ok is None else ("ok" if a.ok else "failed"),
            a.result if a.result is not None else NO_RESULT,
            a.duration_ms,
        ]
        for a in review.actions(f)
    ]
    alarms = [
        [
            a.seq,
            when(a.ts, zone),
            a.severity,
            a.rule,
            a.queue,
            a.agent,
            a.details.get("value"),
            a.details.get("threshold"),
            a.message,
            "; ".join(f"{when(k.ts, zone)[11:19]} {k.supervisor}: {k.comment}" for k in a.acks),
            "; ".join(f"{when(c.ts, zone)[11:19]} {c.change} {c.severity}" for c in a.changes),
            when(a.cleared, zone),
        ]
        for a in review.alarms(f)
    ]
    sign_ins = [
        [s.seq, when(s.ts, zone), s.account, s.outcome, s.method, s.workstation]
        for s in review.sign_ins(f)
    ]
    settings = [
        [
            s.seq,
            when(s.ts, zone),
            s.supervisor,
            s.workstation,
            s.setting,
            str(s.old_value),
            str(s.new_value),
        ]
        for s in review.setting_changes(f)
    ]
    return [
        Table(
            "Monitoring sessions",
            (
                "seq",
                "started",
                "ended",
                "supervisor",
                "workstation",
                "agent",
                "queue",
                "caller",
                "modes",
                "end",
            ),
            sessions,  # type: ignore[arg-type]
        ),
        Table(
            "Actions",
            (
                "seq",
                "time",
                "supervisor",
                "workstation",
                "action",
                "agent",
                "queue",
                "params",
                "outcome",
                "result",
                "duration_ms",
            ),
            actions,  # type: ignore[arg-type]
        ),
        Table(
            "Alarms",
            (
                "seq",
                "raised",
                "severity",
                "rule",
                "queue",
                "agent",
                "value",
                "threshold",
                "message",
                "acknowledged",
                "changes",
                "cleared",
            ),
            alarms,
        ),
        Table("Sign-ins", ("seq", "time", "account", "outcome", "method", "workstation"), sign_ins),  # type: ignore[arg-type]
        Table(
            "Settings",
            ("seq", "time", "supervisor", "workstation", "setting", "old", "new"),
            settings,  # type: ignore[arg-type]
        ),
    ]


def interval_rows(
    table: Mapping[str, Sequence[IntervalMetrics]],
    zone: tzinfo | None,
    all_queues: str = ALL_QUEUES,
    clock: str = "%H:%M",
) -> tuple[list[list[Cell]], list[IntervalMetrics]]:
    """A day's interval report as rows: all queues first, one row per interval, then each
    queue's; and the all-queues figures (the chart's)."""
    by_start: dict[float, list[IntervalMetrics]] = {}
    for metrics in table.values():
        for m in metrics:
            by_start.setdefault(m.start, []).append(m)
    totals = [combined_metrics(by_start[k]) for k in sorted(by_start)]

    def row(queue: str, m: IntervalMetrics) -> list[Cell]:
        return [
            queue,
            wall_time(m.start, zone).strftime(clock),
            m.offered,
            m.answered,
            m.answered_within,
            m.abandoned,
            m.short_abandoned,
            "" if m.sl_percent is None else f"{m.sl_percent:.1f}",
            "" if m.asa_s is None else f"{m.asa_s:.0f}",
            "" if m.aht_s is None else f"{m.aht_s:.0f}",
        ]

    rows = [row(all_queues, m) for m in totals]
    for queue, metrics in sorted(table.items()):
        rows += [row(queue, m) for m in metrics]
    return rows, totals


def interval_table(review: Review, f: ReviewFilter, base: FloorConfig = DEFINITIONS) -> Table:
    """The interval report of every day the filter covers (its queue only, if it names one),
    each interval counted by the definitions the floor ran with then."""
    span = review.record_span()
    if span is None:
        return Table("Intervals", INTERVAL_COLUMNS, [])
    zone = review.zone
    start = span[0] if f.start is None else max(f.start, span[0])
    end = span[1] if f.end is None else min(f.end, span[1])
    first, last = wall_time(start, zone).date(), wall_time(max(start, end - 1e-6), zone).date()
    days = (last - first).days + 1
    if days > INTERVAL_DAYS_MAX:
        note = (
            f"not included: the filter covers {days} days (at most {INTERVAL_DAYS_MAX}); "
            "narrow the dates for the interval report"
        )
        return Table("Intervals", ("note",), [[note]])
    rows: list[list[Cell]] = []
    for offset in range(max(0, days)):
        day = first + timedelta(days=offset)
        table, _ = review.day_intervals(day, base, queue=f.queue)
        rows += interval_rows(table, zone, clock="%Y-%m-%d %H:%M")[0]
    return Table("Intervals", INTERVAL_COLUMNS, rows)


def header_lines(review: Review, f: ReviewFilter) -> list[tuple[str, str]]:
    last_seq, head_hash = review.head()
    zone = review.zone
    now = datetime.now().timestamp()
    return [
        ("Record", str(review.path.name)),
        ("Record id", review.record_id),
        ("Exported", when(now, zone)),
        ("Times", zone_text(zone, now) or "the exporting PC's zone (the record names none)"),
        ("Filter", describe_filter(f, zone)),
        ("Chain head", f"row #{last_seq}, SHA-256 {head_hash}"),
    ]


def _atomic_write(out: Path, write: Callable[[Path], None]) -> None:
    out = Path(out)
    tmp = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        write(tmp)
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def check_target(record_path: Path, out: Path) -> None:
    """Refuse to write over the record itself or into a missing folder."""
    out_parent = out.resolve().parent
    if not out_parent.is_dir():
        raise RecordError(f"folder {out_parent} does not exist", out)
    if out.exists() and out.resolve() == record_path.resolve():
        raise RecordError("the export file must not be the record itself", out)


def export_csv(review: Review, f: ReviewFilter, out: Path, include_journal: bool = False) -> int:
    """Write the audit trail as CSV; returns the number of data rows."""
    check_target(review.path, out)
    table = audit_table(review, f, include_journal)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(table.columns)
            writer.writerows(["" if c is None else c for c in row] for row in table.rows)

    _atomic_write(out, write)
    return len(table.rows)


def export_xlsx(
    review: Review,
    f: ReviewFilter,
    out: Path,
    include_journal: bool = False,
    base: FloorConfig = DEFINITIONS,
) -> int:
    """Write a workbook: a 'Record' sheet, the audit trail and one sheet per detail table."""
    import xlsxwriter

    check_target(review.path, out)
    audit = audit_table(review, f, include_journal)
    if len(audit.rows) > XLSX_MAX_ROWS:
        raise RecordError(
            f"{len(audit.rows)} rows do not fit in one XLSX sheet; narrow the filter or use CSV",
            out,
        )
    tables = [audit, *detail_tables(review, f), interval_table(review, f, base)]
    info = header_lines(review, f)

    def write(tmp: Path) -> None:
        book = xlsxwriter.Workbook(str(tmp), {"constant_memory": False, "strings_to_urls": False})
        try:
            bold = book.add_format({"bold": True})
            sheet = book.add_worksheet("Record")
            for i, (k, v) in enumerate(info):
                sheet.write_string(i, 0, k, bold)
                sheet.write_string(i, 1, v)
            sheet.set_column(0, 0, 14)
            sheet.set_column(1, 1, 90)
            for table in tables:
                _sheet(book, table, bold)
        finally:
            book.close()

    _atomic_write(out, write)
    return len(audit.rows)


def _sheet(book: Any, table: Table, bold: Any) -> None:
    sheet = book.add_worksheet(table.title[:31])
    for c, name in enumerate(table.columns):
        sheet.write_string(0, c, name, bold)
    widths = [len(c) for c in table.columns]
    for r, row in enumerate(table.rows, start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, int | float):
                sheet.write_number(r, c, value)
            else:
                sheet.write_string(r, c, value)
            widths[c] = max(widths[c], min(60, len(str(value))))
    for c, w in enumerate(widths):
        sheet.set_column(c, c, w + 2)
    sheet.freeze_panes(1, 0)
    if table.rows:
        sheet.autofilter(0, 0, len(table.rows), len(table.columns) - 1)


def all_tables(
    review: Review,
    f: ReviewFilter,
    include_journal: bool = False,
    base: FloorConfig = DEFINITIONS,
) -> list[Table]:
    """Every table of an export, audit trail first (what the PDF renders). `base`: the
    definitions for a record that names none (the console's own when it exports)."""
    return [
        audit_table(review, f, include_journal),
        *detail_tables(review, f),
        interval_table(review, f, base),
    ]


def table_rows_text(table: Table) -> Sequence[Sequence[str]]:
    return [["" if c is None else str(c) for c in row] for row in table.rows]
