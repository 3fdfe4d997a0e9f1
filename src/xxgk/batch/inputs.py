"""What a batch reads: folders walked, zip archives opened, each file's bytes loaded
in the caller's process (bounded like the readers) so that a worker needs no disk.

A file is an :class:`Item` (its place in the input order, the name a user reads, and
where its bytes are); :func:`gather` lists them, :func:`load` reads one.  A folder
holding page images only (a report scanned page by page, ``ocr.folder.page_files``) is
one Item, as ``api.parse`` reads it: its pages travel packed into one bytes
(:func:`pack_pages`, unpacked by the worker with :func:`unpack_pages`).  So is such a
folder inside a ``.zip`` (``a.zip!报告`` for the members ``报告/001.png …``; the archive
itself, ``a.zip``, when its top holds page images only), by the same test applied to
its members (:func:`_zip_pages`).
"""

from __future__ import annotations

import os
import posixpath
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..readers import ReadError, read_file
from ..readers.limits import DEFAULT_LIMITS, Limits
from .outcome import REPORT_SUFFIXES, Outcome, os_problem, probe

STRUCTURED = (".yaml", ".yml", ".json")
ZIP_MAX_MEMBERS = 100_000  # report files in one archive
ZIP_MAX_TOTAL = 16 * 1024**3  # declared uncompressed size of an archive's reports
ZIP_BOMB_RATIO = 200  # compression ratio of one member above which it is refused
ZIP_BOMB_FLOOR = 1024 * 1024  # ... when it unpacks to more than this


PAGES_MAGIC = b"xxgk-pages 1\n"  # the start of a folder's page images packed


@dataclass(frozen=True, slots=True)
class Item:
    """One file to check: ``source`` is the name in every result (``a.zip!dir/b.txt``
    for a member of an archive), ``path`` the file on disk (the archive for a member);
    ``pages``: ``path`` is a folder of page images, one report."""

    order: int
    source: str
    path: str
    member: str | None = None
    pages: bool = False


def is_zip(path: Path) -> bool:
    return path.suffix.lower() == ".zip" and path.is_file()


def collect(paths: Iterable[Path], skip: Iterable[Path] = ()) -> tuple[list[Path], list[Outcome]]:
    """The files to check (as paths, a named .zip as itself) and the Outcomes of
    folders that cannot be listed or hold no report: :func:`gather` without archives."""
    items, problems = gather(paths, skip, zips=False)
    return [Path(i.path) for i in items], problems


def gather(
    paths: Iterable[Path],
    skip: Iterable[Path] = (),
    reserve: int = 0,
    zips: bool = True,
    zip_scans: bool = False,
) -> tuple[list[Item], list[Outcome]]:
    """The files to check, in input order: named files as given, folders searched
    recursively for report files (hidden files, Word's ``~$`` lock files and the files
    in ``skip``, such as the summary being written, left out) and for folders of page
    images (each one report, an Item with ``pages``; images among other files are not
    reports), a named ``.zip`` opened and its report files listed (with ``zip_scans``,
    its folders of page images too, as the engine asks: a caller that keeps each member
    as a file, such as the web app's upload, leaves them out).  A folder that cannot be listed or holds no
    report, an archive that cannot be opened or is too large, and a member with an
    unsafe path are Outcomes with an error.  The problems come first in the order,
    then ``reserve`` numbers left for the caller (a --previous that fails), then the
    files."""
    skipped = {os.path.realpath(p) for p in skip}
    files: list[tuple[str, str, str | None, bool]] = []
    errors: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(source: str, path: str, member: str | None = None, pages: bool = False) -> None:
        key = os.path.normpath(source) if member is None else source
        if key not in seen:
            seen.add(key)
            files.append((source, path, member, pages))

    def problem(source: str, error: str) -> None:
        errors.append((source, error))

    for path in paths:
        if zips and is_zip(path):
            _members(path, add, problem, zip_scans)
            continue
        if not path.is_dir():
            name = str(path)
            add(name, name)
            continue
        found: list[tuple[Path, bool]] = []
        denied: list[str] = []

        def onerror(exc: OSError, denied: list[str] = denied) -> None:
            denied.append(f"{exc.filename}（{os_problem(exc)}）")

        for root, dirs, names in os.walk(path, onerror=onerror):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            if not dirs and _pages_only(root, names):
                found.append((Path(root), True))
                continue
            for name in sorted(names):
                if name.startswith((".", "~$")):
                    continue
                path_ = Path(root) / name
                report_like = path_.suffix.lower() in REPORT_SUFFIXES
                if report_like and os.path.realpath(path_) not in skipped:
                    found.append((path_, False))
        for where in denied:
            problem(str(path), f"无法列出目录 {where}")
        for p, pages in found:
            name = str(p)
            add(name, name, pages=pages)
        if not found and not denied:
            problem(str(path), "目录中没有报告文件（.txt .html .docx .pdf .md .yaml .json …）")
    problems = [Outcome(source=s, error=e, order=i) for i, (s, e) in enumerate(errors)]
    first = len(problems) + reserve
    items = [Item(first + i, s, p, m, pg) for i, (s, p, m, pg) in enumerate(files)]
    return items, problems


def page_folder(path: Path) -> bool:
    """Whether ``path``, a folder, is one scanned report (page images only)."""
    try:
        with os.scandir(path) as entries:
            listed = [(e.name, e.is_dir()) for e in entries if not e.name.startswith(".")]
    except OSError:
        return False
    return not any(d for _, d in listed) and _pages_only(str(path), [n for n, _ in listed])


def _pages_only(root: str, names: list[str]) -> bool:
    """Whether a folder without subfolders is one scanned report: page images only
    (``ocr.folder.page_files``, whose answer ``api.parse`` of the folder follows); only
    asked of a folder without report files, and it reads the start of each file."""
    visible = [n for n in names if not n.startswith(".")]
    if not visible or any(posixpath.splitext(n)[1].lower() in REPORT_SUFFIXES for n in visible):
        return False
    from ..ocr.folder import page_files

    return page_files(Path(root)) is not None


def _unsafe(name: str) -> bool:
    """A member name that would leave the archive's folder if extracted."""
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        return True
    parts = name.replace("\\", "/").split("/")
    return ".." in parts


def _members(
    path: Path,
    add_: Callable[..., None],
    problem_: Callable[[str, str], None],
    scanned: bool = False,
) -> None:
    """The report files of an archive and its folders of page images (or its problem)."""
    import zipfile  # only when there is an archive: start-up of checking one file

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            reports = []
            for info in infos:
                name = info.filename
                base = posixpath.basename(name.rstrip("/"))
                if info.is_dir() or name.startswith("__MACOSX/") or base.startswith((".", "~$")):
                    continue
                if posixpath.splitext(base)[1].lower() in REPORT_SUFFIXES:
                    reports.append(info)
            scans = _zip_pages(zf, infos) if scanned else {}
    except zipfile.BadZipFile:
        problem_(str(path), "不是有效的 ZIP 压缩包（文件损坏或格式不对）")
        return
    except OSError as exc:
        problem_(str(path), os_problem(exc))
        return
    if len(reports) + len(scans) > ZIP_MAX_MEMBERS:
        problem_(
            str(path),
            f"压缩包中的报告文件过多（{len(reports):,} 个，上限 {ZIP_MAX_MEMBERS:,} 个）",
        )
        return
    total = sum(i.file_size for i in reports) + sum(i.file_size for p in scans.values() for i in p)
    if total > ZIP_MAX_TOTAL:
        gb = 1024**3
        problem_(
            str(path),
            f"压缩包解压后过大（{total / gb:.0f} GB，上限 {ZIP_MAX_TOTAL // gb} GB）",
        )
        return
    if not reports and not scans:
        problem_(str(path), "压缩包中没有报告文件（.txt .html .docx .pdf .md .yaml .json …）")
    found = [(info.filename, info.filename, False) for info in reports]
    found += [(folder, folder.rstrip("/"), True) for folder in scans]
    for member, name, pages in sorted(found, key=lambda f: f[1]):  # by name, as on disk
        source = f"{path}!{name}" if name else str(path)
        if _unsafe(member):
            problem_(source, "压缩包中的路径不安全（含 .. 或绝对路径），不读取")
        else:
            add_(source, str(path), member, pages)


def _zip_pages(zf: Any, infos: list[Any]) -> dict[str, list[Any]]:
    """The folders of an archive that are one scanned report each, by their member
    prefix (``报告/``; ``""`` for the top of the archive), with their page images in
    page order: the test ``ocr.folder.page_files`` applies to a folder on disk (no
    subfolder; every file, hidden ones and a scanner's thumbnail database aside, an
    image by its first bytes), asked only of folders without report files."""
    import zlib

    from ..ocr.folder import _IGNORED, _natural

    files: dict[str, list[Any]] = {}
    parents: set[str] = set()  # folders that hold a folder
    for info in infos:
        parts = info.filename.rstrip("/").split("/")
        if parts[0] == "__MACOSX" or any(p.startswith(".") and p != ".." for p in parts):
            continue  # as hidden files and folders on disk
        last = len(parts) if info.is_dir() else len(parts) - 1
        for depth in range(last):  # the folders above it (and a folder entry's) hold one
            parents.add("".join(p + "/" for p in parts[:depth]))
        if not info.is_dir():
            files.setdefault("".join(p + "/" for p in parts[:-1]), []).append(info)
    out: dict[str, list[Any]] = {}
    for folder, members in files.items():
        names = [posixpath.basename(i.filename) for i in members]
        if folder in parents or any(
            posixpath.splitext(n)[1].lower() in REPORT_SUFFIXES for n in names
        ):
            continue
        pages = [i for i, n in zip(members, names, strict=True) if n.lower() not in _IGNORED]
        try:
            if not pages or any(_head(zf, i) != "image" for i in pages):
                continue
        except (OSError, RuntimeError, ValueError, EOFError, NotImplementedError, zlib.error):
            continue  # unreadable (encrypted, damaged): not a folder of pages
        out[folder] = sorted(pages, key=lambda i: _natural(Path(i.filename)))
    return out


def _head(zf: Any, info: Any) -> str:
    """What a member is by its first bytes (``readers.detect``)."""
    from ..readers import detect

    with zf.open(info) as fh:
        return detect(fh.read(2048), info.filename)


def limit_for(name: str, limits: Limits = DEFAULT_LIMITS) -> int:
    """The size a file may have: a data file is read with the data limit, as by parse."""
    return (
        limits.max_structured_bytes
        if posixpath.splitext(name)[1].lower() in STRUCTURED
        else limits.max_bytes
    )


def load(item: Item, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """The bytes of one file; ReadError (or OSError) when they cannot be read.

    A file on disk is probed first (a FIFO or a device is refused, never read) and
    read with the limit ``parse`` uses, so the errors are those of one-by-one ``check``;
    a folder of page images is its pages packed (:func:`pack_pages`).
    """
    if item.pages:
        return pack_pages(item, limits) if item.member is None else _pack_zip_pages(item, limits)
    if item.member is None:
        problem = probe(Path(item.path))
        if problem is not None:
            raise ReadError(item.source, problem)
        return read_file(item.path, limit_for(item.path, limits))
    return _read_member(item, limit_for(item.member, limits))


def _read_member(item: Item, limit: int) -> bytes:
    import zipfile

    assert item.member is not None
    try:
        with zipfile.ZipFile(item.path) as zf:
            return _read_info(zf, zf.getinfo(item.member), item.source, limit)
    except ReadError:
        raise
    except KeyError:
        raise ReadError(item.source, "压缩包中已没有这个文件") from None
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise ReadError(item.source, f"无法解压（{type(exc).__name__}）") from None


def _read_info(zf: Any, info: Any, source: str, limit: int) -> bytes:
    """One member of an open archive, with the size limit and the bomb test."""
    import zipfile
    import zlib

    mb = 1024 * 1024
    if info.file_size > limit:
        raise ReadError(source, f"文件过大（{info.file_size / mb:.0f} MB，上限 {limit // mb} MB）")
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > ZIP_BOMB_FLOOR and ratio > ZIP_BOMB_RATIO:
        raise ReadError(source, f"压缩比异常（{ratio:.0f} 倍），疑似压缩炸弹，不解压")
    try:
        with zf.open(info) as fh:
            data: bytes = fh.read(limit + 1)
    except RuntimeError:  # an encrypted member
        raise ReadError(source, "压缩包中的文件已加密，无法读取") from None
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
        raise ReadError(source, f"无法解压（{type(exc).__name__}）") from None
    if len(data) > limit:
        raise ReadError(source, f"文件过大（解压后超过 {limit // mb} MB）")
    return data


def pack_pages(item: Item, limits: Limits = DEFAULT_LIMITS) -> bytes:
    """A folder's page images as one bytes (``PAGES_MAGIC``, then each image's name and
    contents, length-prefixed), read as ``ocr.read_folder`` reads them: with the file
    limit each, and no more of them than OCR reads pages (one more, so that the worker
    refuses the folder with the reader's own error)."""
    from ..ocr import MAX_OCR_PAGES
    from ..ocr.folder import page_files

    files = page_files(Path(item.path))
    if files is None:
        raise ReadError(item.source, "目录中已不全是扫描页图片（核查期间被修改），未读取")
    parts = [PAGES_MAGIC]
    for file in files[: min(limits.max_pages, MAX_OCR_PAGES) + 1]:
        name = file.name.encode("utf-8", "surrogateescape")
        data = read_file(file, limits.max_bytes)
        parts += [struct.pack(">IQ", len(name), len(data)), name, data]
    return b"".join(parts)


def _pack_zip_pages(item: Item, limits: Limits) -> bytes:
    """A folder of page images inside an archive packed as :func:`pack_pages` packs one
    on disk (the same names, order and limits; each page also with the member limits and
    the bomb test; a page that cannot be unpacked fails the folder, as on disk)."""
    import zipfile

    from ..ocr import MAX_OCR_PAGES

    assert item.member is not None
    try:
        with zipfile.ZipFile(item.path) as zf:
            pages = _zip_pages(zf, zf.infolist()).get(item.member)
            if pages is None:
                raise ReadError(item.source, "压缩包中的这个目录已不全是扫描页图片，未读取")
            parts = [PAGES_MAGIC]
            for info in pages[: min(limits.max_pages, MAX_OCR_PAGES) + 1]:
                name = posixpath.basename(info.filename).encode("utf-8", "surrogateescape")
                data = _read_info(zf, info, f"{item.path}!{info.filename}", limits.max_bytes)
                parts += [struct.pack(">IQ", len(name), len(data)), name, data]
    except zipfile.BadZipFile:
        raise ReadError(item.source, "不是有效的 ZIP 压缩包（文件损坏或格式不对）") from None
    return b"".join(parts)


def unpack_pages(data: bytes) -> list[tuple[str, bytes]]:
    """The (name, contents) of each page image :func:`pack_pages` packed; ValueError
    when ``data`` is not such a pack."""
    if not data.startswith(PAGES_MAGIC):
        raise ValueError("not a pack of page images")
    out: list[tuple[str, bytes]] = []
    at, head = len(PAGES_MAGIC), struct.calcsize(">IQ")
    while at < len(data):
        n, size = struct.unpack_from(">IQ", data, at)
        at += head
        name = data[at : at + n].decode("utf-8", "surrogateescape")
        at += n
        if at + size > len(data) or posixpath.basename(name) != name or name in ("", ".", ".."):
            raise ValueError("a damaged pack of page images")
        out.append((name, data[at : at + size]))
        at += size
    return out
