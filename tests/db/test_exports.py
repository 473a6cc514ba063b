"""`audit export` as CSV, XLSX and PDF: the rows are there, Chinese text survives."""

from __future__ import annotations

import argparse
import contextlib
import csv
import re
import shutil
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

import console.commands.audit as audit_cmd
from db.review import open_review


def audit(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    audit_cmd.add_arguments(parser)
    return audit_cmd.run(parser.parse_args(list(argv)))


@pytest.mark.timeout(30)
def test_csv_has_the_audit_trail(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    out = tmp_path / "trail.csv"
    assert audit("export", str(path), "--format", "csv", "--out", str(out)) == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open_review(path) as review:
        trail = review.audit_trail()
    assert [int(r["seq"]) for r in rows] == [e.seq for e in trail]
    kinds = [r["kind"] for r in rows]
    assert kinds.count("monitor_mode") == 2 and "alarm_ack" in kinds
    ack = next(r for r in rows if r["kind"] == "alarm_ack")
    assert "已通知值班长" in ack["summary"] and len(ack["row_hash"]) == 64
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM for spreadsheet programs
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.timeout(30)
def test_filters_apply_to_exports(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    out = tmp_path / "pause.csv"
    code = audit(
        "export", str(path), "--format", "csv", "--out", str(out), "--action", "QueuePause"
    )
    assert code == 0
    with out.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["kind"] for r in rows] == ["action_intent"]
    assert rows[0]["agent"] == "PJSIP/1001" and "reason=午餐" in rows[0]["summary"]
    out2 = tmp_path / "later.csv"
    code = audit("export", str(path), "--format", "csv", "--out", str(out2), "--from", "2030-01-01")
    assert code == 0
    assert out2.read_text(encoding="utf-8-sig").count("\n") == 1  # header only
    journal = tmp_path / "agent.csv"
    code = audit(
        "export",
        str(path),
        "--format",
        "csv",
        "--out",
        str(journal),
        "--agent",
        "PJSIP/1002",
        "--journal",
    )
    assert code == 0
    with journal.open(encoding="utf-8-sig", newline="") as fh:
        kinds = {r["kind"] for r in csv.DictReader(fh)}
    assert kinds == {"pbx_event", "monitor_start"}


@pytest.mark.timeout(30)
def test_export_errors(
    make_record: Callable[..., Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = make_record(events=5)
    before = path.read_bytes()
    assert audit("export", str(path), "--format", "csv", "--out", str(path)) == 2
    assert "must not be the record itself" in capsys.readouterr().err
    assert path.read_bytes() == before
    bad_date = ["--out", str(tmp_path / "x.csv"), "--from", "yesterday"]
    assert audit("export", str(path), "--format", "csv", *bad_date) == 2
    assert "cannot read 'yesterday'" in capsys.readouterr().err
    missing = ["--out", str(tmp_path / "nope" / "x.csv")]
    assert audit("export", str(path), "--format", "xlsx", *missing) == 2


def xlsx_text(path: Path) -> tuple[list[str], str, dict[str, str]]:
    """(sheet names, shared strings, sheet xml by file name) of an XLSX file."""
    with zipfile.ZipFile(path) as book:
        workbook = book.read("xl/workbook.xml").decode()
        strings = book.read("xl/sharedStrings.xml").decode()
        sheets = {
            n: book.read(n).decode() for n in book.namelist() if n.startswith("xl/worksheets/")
        }
    names = re.findall(r'<sheet name="([^"]+)"', workbook)
    return names, strings, sheets


@pytest.mark.timeout(30)
def test_xlsx_workbook(make_record: Callable[..., Path], tmp_path: Path) -> None:
    path = make_record()
    out = tmp_path / "record.xlsx"
    assert audit("export", str(path), "--format", "xlsx", "--out", str(out)) == 0
    names, strings, sheets = xlsx_text(out)
    assert names == [
        "Record",
        "Audit trail",
        "Monitoring sessions",
        "Actions",
        "Alarms",
        "Sign-ins",
        "Settings",
        "Intervals",
    ]
    for text in ("服务水平低于 80%", "已通知值班长", "李四", "QueuePause", "listen"):
        assert text in strings
    with open_review(path) as review:
        trail = len(review.audit_trail())
    audit_sheet = sheets["xl/worksheets/sheet2.xml"]
    assert audit_sheet.count("<row ") == trail + 1


def pdf_unicode(pdf: bytes) -> set[int]:
    """Code points the PDF's ToUnicode maps give its glyphs (what a text extractor sees)."""
    found: set[int] = set()
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        data = match.group(1)
        with contextlib.suppress(zlib.error):  # Qt writes ToUnicode maps uncompressed
            data = zlib.decompress(data)
        sections = re.findall(rb"begin(?:bfrange|bfchar)(.*?)end(?:bfrange|bfchar)", data, re.S)
        for section in sections:
            for array in re.findall(rb"\[(.*?)\]", section, re.S):
                found.update(int(h[:4], 16) for h in re.findall(rb"<([0-9A-Fa-f]{4,})>", array))
            plain = re.sub(rb"\[.*?\]", b"", section, flags=re.S)
            for lo, hi, start in re.findall(
                rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]{4})>", plain
            ):
                found.update(int(start, 16) + k for k in range(int(hi, 16) - int(lo, 16) + 1))
            for target in re.findall(rb"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]{4,})>\s*(?=<|$)", plain):
                found.add(int(target[:4], 16))
    return found


@pytest.mark.timeout(90)
def test_pdf_renders_chinese(
    make_record: Callable[..., Path], tmp_path: Path, repo_root: Path
) -> None:
    path = make_record()
    out = tmp_path / "record.pdf"
    done = subprocess.run(
        [
            sys.executable,
            "main.py",
            "audit",
            "export",
            str(path),
            "--format",
            "pdf",
            "--out",
            str(out),
        ],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=80,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    pdf = out.read_bytes()
    assert pdf.startswith(b"%PDF-")
    cjk_font = rb"/BaseFont\s*/(?:[A-Z]{6}\+)?[\w-]*(?:CJK|YaHei|SimSun|PingFang|WenQuanYi|Han)"
    assert re.search(cjk_font, pdf), "no CJK font embedded"
    mapped = pdf_unicode(pdf)
    assert {ord(c) for c in "服务水平低于已通知值班长李四午餐"} <= mapped
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", "-layout", str(out), "-"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
        assert "已通知值班长" in text and "服务水平低于 80%" in text
        with open_review(path) as review:
            head = review.head()[1]
        assert head in text.replace("\n", "")
