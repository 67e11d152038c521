"""Checks on an uploaded workbook before any spreadsheet library opens it.

An .xlsx file is a zip archive of XML parts. Before python-calamine reads it we make sure it
is one (not an .xls, a CSV or a renamed document), that it is not too large, that it does not
unpack into far more than it weighs (a "zip bomb": total size and per-part ratio, counted
while actually decompressing, since the sizes written in the archive can lie), and that no
cell holds a formula: an import takes values as they were seen, never values a formula would
compute in another program.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from django.conf import settings

from .issues import Issue

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024  # small parts (styles, themes) may compress very well
MAX_ENTRIES = 5000
MAX_FORMULA_ISSUES = 200
_CHUNK = 1024 * 1024

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# <f>, <f t="shared" …>, <f/> and a prefixed <x:f …>; not <fill>, <filterColumn>, <formula1>.
# Searching "<f" (ending in a rare byte) and looking at the next byte is many times faster than
# a regular expression over the whole sheet; a rare false alarm (":f " in an inline string)
# only costs the precise parse in _formula_cells.
_TAG_END = frozenset(b" \t\r\n/>")


def _mentions_formula(chunk: bytes) -> bool:
    for needle in (b"<f", b":f"):
        start = chunk.find(needle)
        while start != -1:
            if start + 2 < len(chunk) and chunk[start + 2] in _TAG_END:
                return True
            start = chunk.find(needle, start + 2)
    return False
# An Office file never declares a DTD; refusing any keeps entity tricks out of every parser
# (expat ≥ 2.4 also limits entity amplification, and ElementTree fetches no external entity).
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class WorkbookRefused(Exception):
    """The file cannot be read as a workbook at all; `message` says why, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Limits:
    file_bytes: int = MAX_FILE_BYTES
    unpacked_bytes: int = MAX_UNPACKED_BYTES
    ratio: int = MAX_RATIO
    entries: int = MAX_ENTRIES

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(
            file_bytes=getattr(settings, "HOUSEHOLD_IMPORT_MAX_BYTES", MAX_FILE_BYTES),
            unpacked_bytes=getattr(settings, "HOUSEHOLD_IMPORT_MAX_UNPACKED_BYTES", MAX_UNPACKED_BYTES),
        )


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.0f} MB"


def check_workbook(path: Path, limits: Limits | None = None) -> list[Issue]:
    """Raise WorkbookRefused if `path` is not a safe .xlsx; return one Issue per formula cell."""
    limits = limits or Limits.from_settings()
    size = path.stat().st_size
    if size == 0:
        raise WorkbookRefused("文件为空。")
    if size > limits.file_bytes:
        raise WorkbookRefused(f"文件过大（{_megabytes(size)}），上限为 {_megabytes(limits.file_bytes)}。")
    with path.open("rb") as handle:
        magic = handle.read(8)
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookRefused(
            "这是旧版 Excel（.xls）或加密的工作簿，请在 Excel 中另存为 .xlsx（Excel 工作簿）后再导入。"
        )
    if not magic.startswith(b"PK\x03\x04"):
        raise WorkbookRefused("文件不是 Excel 工作簿（.xlsx），请使用导入模板。")
    try:
        with zipfile.ZipFile(path) as archive:
            return _check_archive(archive, limits)
    except zipfile.BadZipFile:
        raise WorkbookRefused("文件已损坏，无法作为 Excel 工作簿（.xlsx）打开。") from None


def _check_archive(archive: zipfile.ZipFile, limits: Limits) -> list[Issue]:
    entries = archive.infolist()
    if len(entries) > limits.entries:
        raise WorkbookRefused(f"工作簿包含的部件过多（{len(entries)} 个），疑似异常文件。")
    names = {entry.filename for entry in entries}
    if "xl/workbook.xml" not in names:
        raise WorkbookRefused("文件不是 Excel 工作簿（.xlsx）：缺少 xl/workbook.xml。")
    declared = sum(entry.file_size for entry in entries)
    if declared > limits.unpacked_bytes:
        raise WorkbookRefused(
            f"工作簿解压后过大（{_megabytes(declared)}），上限为 {_megabytes(limits.unpacked_bytes)}，疑似压缩炸弹。"
        )
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise WorkbookRefused("工作簿已加密，请取消密码保护后再导入。")
        if entry.file_size > RATIO_FLOOR_BYTES and entry.file_size > limits.ratio * max(entry.compress_size, 1):
            raise WorkbookRefused(f"工作簿部件 {entry.filename} 压缩比异常（超过 {limits.ratio} 倍），疑似压缩炸弹。")

    sheet_parts = _sheet_parts(archive)
    issues: list[Issue] = []
    unpacked = 0
    for entry in entries:
        if entry.is_dir():
            continue
        sheet_name = sheet_parts.get(entry.filename)
        has_formula = False
        actual = 0
        for chunk in _read_counted(archive, entry, limits):
            if not actual and _DOCTYPE.search(chunk):  # a DTD can only be in the prolog
                raise WorkbookRefused(f"工作簿部件 {entry.filename} 含有 DTD 声明，不是正常的 Excel 文件。")
            actual += len(chunk)
            if sheet_name is not None and not has_formula and _mentions_formula(chunk):
                has_formula = True
        unpacked += actual
        if unpacked > limits.unpacked_bytes:
            raise WorkbookRefused(f"工作簿解压后超过 {_megabytes(limits.unpacked_bytes)}，疑似压缩炸弹。")
        if has_formula and len(issues) < MAX_FORMULA_ISSUES:
            issues.extend(_formula_cells(archive, entry.filename, sheet_name or "")[: MAX_FORMULA_ISSUES - len(issues)])
    return issues


def _read_counted(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, limits: Limits) -> Iterator[bytes]:
    """Decompress one part in chunks, refusing as soon as it outgrows its declared size.

    Chunks overlap by a few bytes so a tag split across two reads is still seen.
    """
    produced = 0
    tail = b""
    try:
        with archive.open(entry) as stream:
            while chunk := stream.read(_CHUNK):
                produced += len(chunk)
                if produced > entry.file_size or produced > limits.unpacked_bytes:
                    raise WorkbookRefused(f"工作簿部件 {entry.filename} 的实际大小与声明不符，疑似压缩炸弹。")
                yield tail + chunk
                tail = chunk[-16:]
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        raise WorkbookRefused(f"工作簿部件 {entry.filename} 已损坏，无法读取。") from None


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Zip part name -> sheet name, from xl/workbook.xml and its relationships."""
    try:
        for part in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
            if archive.getinfo(part).file_size > RATIO_FLOOR_BYTES * 16:
                raise WorkbookRefused(f"工作簿部件 {part} 过大，不是正常的 Excel 文件。")
        workbook_xml = archive.read("xl/workbook.xml")
        rels_xml = archive.read("xl/_rels/workbook.xml.rels")
        if _DOCTYPE.search(workbook_xml) or _DOCTYPE.search(rels_xml):
            raise WorkbookRefused("工作簿结构含有 DTD 声明，不是正常的 Excel 文件。")
        workbook = ElementTree.fromstring(workbook_xml)  # noqa: S314 - no DTD (checked above)
        rels = ElementTree.fromstring(rels_xml)  # noqa: S314 - no DTD (checked above)
    except (KeyError, ElementTree.ParseError):
        raise WorkbookRefused("工作簿结构已损坏（workbook.xml），无法读取。") from None
    targets = {}
    for rel in rels.iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        targets[rel.get("Id")] = part
    parts = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_REL}id"))
        if part:
            parts[part] = sheet.get("name", "")
    return parts


def _formula_cells(archive: zipfile.ZipFile, part: str, sheet_name: str) -> list[Issue]:
    """Locate each formula cell of one sheet part (only called when the fast scan found one)."""
    found: list[Issue] = []
    with archive.open(part) as stream:
        # The part was scanned for a DTD while counting its size (_check_archive).
        for _event, element in ElementTree.iterparse(stream, events=("end",)):  # noqa: S314
            if element.tag == f"{_MAIN}c":
                if element.find(f"{_MAIN}f") is not None:
                    ref = element.get("r", "")
                    column, row = _split_ref(ref)
                    found.append(
                        Issue(
                            sheet=sheet_name,
                            row=row,
                            column=column,
                            message="单元格含公式，导入只接受数值：请复制后“选择性粘贴为数值”再导入。",
                        )
                    )
                    if len(found) >= MAX_FORMULA_ISSUES:
                        break
                element.clear()
    return found


def _split_ref(ref: str) -> tuple[str, int | None]:
    match = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    if not match:
        return "", None
    return match.group(1), int(match.group(2))
