"""`python main.py audit verify DB` and `python main.py audit export DB --format ... --out FILE`.

verify: exit 0 printing "intact: N rows"; exit 1 naming the first row that was edited,
deleted, inserted or reordered (or the truncated tail) and why; exit 2 when the file cannot be
read as a record (not a database, wrong or newer schema, locked ...). `-v` also prints the
chain head (last row and its SHA-256), the value worth keeping outside the file.

export: the audit trail (and detail tables) as CSV, XLSX or PDF, with the review filters
--from/--to (date or date and time on the record's clock, db/zone.py, unless the value
carries its own UTC offset; a date alone in --to means the end of that day),
--supervisor, --agent, --queue, --action; --journal adds the PBX events. Exit 0 on success,
2 on any error (nothing is written then). The record is only ever opened read-only.
Qt is imported only for PDF.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = sub.add_parser("verify", help="check the record's hash chain")
    verify.add_argument("db", metavar="DB", help="record file")
    verify.add_argument(
        "-v", "--verbose", action="store_true", help="also print the chain head hash"
    )
    export = sub.add_parser("export", help="export the record as CSV, XLSX or PDF")
    export.add_argument("db", metavar="DB", help="record file")
    export.add_argument("--format", required=True, choices=["csv", "xlsx", "pdf"])
    export.add_argument("--out", required=True, metavar="FILE", help="file to write")
    clock = "on the record's clock, e.g. 2026-11-22T08:30"
    export.add_argument("--from", dest="date_from", metavar="WHEN", help=f"start ({clock})")
    export.add_argument("--to", dest="date_to", metavar="WHEN", help=f"end ({clock})")
    export.add_argument("--supervisor", help="only rows written by this supervisor")
    export.add_argument("--agent", help="only rows about this agent (interface, PJSIP/1001)")
    export.add_argument("--queue", help="only rows about this queue")
    export.add_argument("--action", help="only this supervisor action (e.g. QueuePause)")
    export.add_argument("--journal", action="store_true", help="include PBX events")


def parse_when(text: str, end: bool = False, zone: tzinfo | None = None) -> float:
    """A date or date-time on `zone`'s clock (None: this PC's) unless it names its own UTC
    offset; for an end bound, a bare date means the end of that day."""
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            if end:
                day = day + timedelta(days=1)
            return datetime(day.year, day.month, day.day, tzinfo=zone).timestamp()
        moment = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError:
        raise ValueError(
            f"cannot read {text!r} as a date or time (use 2026-11-22 or 2026-11-22T08:30)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=zone)
    return moment.timestamp()


def _verify(args: argparse.Namespace) -> int:
    from db.chain import verify
    from db.errors import RecordError

    try:
        result = verify(Path(args.db))
    except RecordError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    if result.ok:
        print(result.message)
        if args.verbose and result.last_seq is not None:
            print(f"head: row #{result.last_seq} sha256 {result.head_hash}")
        return 0
    print(f"broken: {result.message}")
    return 1


def _export(args: argparse.Namespace) -> int:
    from db.errors import RecordError
    from db.export import all_tables, check_target, export_csv, export_xlsx, header_lines
    from db.review import open_review
    from db.review_rows import ReviewFilter

    def make_filter(zone: tzinfo | None) -> ReviewFilter:
        return ReviewFilter(
            start=parse_when(args.date_from, zone=zone) if args.date_from else None,
            end=parse_when(args.date_to, end=True, zone=zone) if args.date_to else None,
            supervisor=args.supervisor,
            agent=args.agent,
            queue=args.queue,
            action=args.action,
        )

    try:
        make_filter(None)  # a malformed date fails before the file is opened
    except ValueError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    out = Path(args.out)
    try:
        with open_review(Path(args.db)) as review:
            review_filter = make_filter(review.zone)  # dates on the floor's clock
            if args.format == "csv":
                rows = export_csv(review, review_filter, out, args.journal)
            elif args.format == "xlsx":
                rows = export_xlsx(review, review_filter, out, args.journal)
            else:
                check_target(review.path, out)
                from console.record_pdf import write_pdf

                tables = all_tables(review, review_filter, args.journal)
                rows = len(tables[0].rows)
                tmp = out.with_name(f".{out.name}.partial")
                try:
                    write_pdf(
                        tmp,
                        f"Record {review.path.name}",
                        header_lines(review, review_filter),
                        tables,
                    )
                    tmp.replace(out)
                finally:
                    tmp.unlink(missing_ok=True)
    except RecordError as exc:
        print(f"audit: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"audit: cannot write {out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"exported {rows} rows to {out}")
    return 0


def run(args: argparse.Namespace) -> int:
    if args.audit_command == "verify":
        return _verify(args)
    return _export(args)
