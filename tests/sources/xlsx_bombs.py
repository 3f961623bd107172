"""Hand-built .xlsx files for the workbook limits: small on disk, huge when inflated.

A zip member is a raw deflate stream. After a full flush the compressor's state is reset, so
compressing the same 1 MB chunk again gives the same bytes: the stream for a gigabyte of `A` is
one chunk's bytes repeated, built in milliseconds (zlib's own output, checked with `zlib` below).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>'
)
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


@dataclass(frozen=True)
class Member:
    name: str
    deflated: bytes
    crc: int
    size: int


def member(name: str, text: str) -> Member:
    data = text.encode("utf-8")
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return Member(name, compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def repeated(name: str, prefix: str, chunk: bytes, times: int, suffix: str) -> Member:
    """`prefix + chunk * times + suffix`, deflated without deflating `times` chunks."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(prefix.encode()) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(suffix.encode()) + compressor.flush()
    crc = zlib.crc32(prefix.encode())
    for _ in range(times):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(suffix.encode(), crc)
    size = len(prefix.encode()) + len(chunk) * times + len(suffix.encode())
    return Member(name, head + block * times + tail, crc, size)


def write_zip(path: Path, members: list[Member]) -> Path:
    """A plain (non-zip64) deflate archive, the layout of APPNOTE.TXT 4.3.7 and 4.3.12."""
    body, directory = b"", b""
    for item in members:
        name = item.name.encode()
        fields = (20, 0, 8, 0, 0, item.crc, len(item.deflated), item.size, len(name), 0)
        local = struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + name
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, len(body)) + name
        body += local + item.deflated
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0)
    path.write_bytes(body + directory + end)
    return path


def zipfile_size(path: Path, name: str) -> int:
    """The uncompressed size the archive's directory declares for `name` (read, not inflated)."""
    with zipfile.ZipFile(path) as archive:
        return archive.getinfo(name).file_size


def workbook(path: Path, sheet: Member, strings: Member) -> Path:
    parts = [
        member("[Content_Types].xml", CONTENT_TYPES),
        member("_rels/.rels", RELS),
        member("xl/workbook.xml", WORKBOOK),
        member("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ]
    return write_zip(path, [*parts, sheet, strings])


def sheet_xml(rows: str, dimension: str | None = None) -> str:
    ref = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}>{ref}<sheetData>{rows}</sheetData></worksheet>'


def strings_xml(*texts: str) -> str:
    items = "".join(f"<si><t>{text}</t></si>" for text in texts)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst {NS} count="{len(texts)}" uniqueCount="{len(texts)}">{items}</sst>'


def cell_bomb(path: Path, megabytes: int = 1024) -> Path:
    """One shared string of `megabytes` MB of `A` under a header `date,impressions`."""
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    rows += '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1</v></c></row>'
    prefix = (
        strings_xml("date", "impressions").removesuffix("</sst>").replace('count="2" uniqueCount="2"', "")
    )
    strings = repeated(
        "xl/sharedStrings.xml", prefix + "<si><t>", b"A" * (1 << 20), megabytes, "</t></si></sst>"
    )
    return workbook(path, member("xl/worksheets/sheet1.xml", sheet_xml(rows, "A1:B2")), strings)


def row_bomb(path: Path, dimension: str | None = "A1:XFD1048576") -> Path:
    """A cell at A1 and one at XFD1048576: seventeen billion cells to pad, 1 KB on disk."""
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    rows += '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook(
        path,
        member("xl/worksheets/sheet1.xml", sheet_xml(rows, dimension)),
        member("xl/sharedStrings.xml", strings_xml("date")),
    )
