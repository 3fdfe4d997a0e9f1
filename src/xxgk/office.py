"""LibreOffice, headless: the one way xxgk converts a file (.doc/.wps to DOCX, DOCX to PDF).

Each conversion gets its own profile (it works while the user has LibreOffice open) and
its own output folder; on a timeout the whole process group is ended (soffice starts
helper processes).  Callers turn :class:`OfficeError` into their own Chinese message.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

__all__ = ["OfficeError", "convert", "convert_all", "convert_bytes", "soffice"]


class OfficeError(Exception):
    """A conversion that did not happen. ``reason``: missing (no LibreOffice), start (it
    would not start), timeout (ended after ``timeout`` seconds), failed (no output)."""

    def __init__(self, reason: str, timeout: float = 0.0) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timeout = timeout


def soffice() -> str | None:
    """LibreOffice's command, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(path: Path, to: str, timeout: float = 120) -> bytes:
    """The file at ``path`` converted by LibreOffice to the format ``to`` ("pdf", "docx")."""
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as tmp:
        out_dir = Path(tmp) / "out"
        _run([path], to, out_dir, Path(tmp) / "profile", timeout)
        produced = sorted(out_dir.glob(f"*.{to}"))
        if not produced:
            raise OfficeError("failed")
        return produced[0].read_bytes()


def convert_all(paths: list[Path], to: str, out_dir: Path, timeout: float = 120) -> list[Path]:
    """Many files converted in one LibreOffice run (it starts once: about half a second a
    file after its start-up), each into ``out_dir`` as its stem + ``.to``; the files
    made (a file LibreOffice could not convert is missing).  ``timeout`` is for the run."""
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-") as tmp:
        _run(paths, to, out_dir, Path(tmp) / "profile", timeout, strict=False)
    return [p for p in (out_dir / f"{path.stem}.{to}" for path in paths) if p.is_file()]


def _run(
    paths: list[Path], to: str, out_dir: Path, profile: Path, timeout: float, strict: bool = True
) -> None:
    exe = soffice()
    if exe is None:
        raise OfficeError("missing")
    cmd = [
        exe,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--convert-to",
        to,
        "--outdir",
        str(out_dir),
        *(str(path.resolve()) for path in paths),
    ]
    try:
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        raise OfficeError("start") from exc
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        raise OfficeError("timeout", timeout) from None
    if strict and proc.returncode != 0:
        raise OfficeError("failed")


def convert_bytes(data: bytes, suffix: str, to: str, timeout: float = 120) -> bytes:
    """``data`` (a file whose name would end in ``suffix``, e.g. ".docx") converted."""
    with tempfile.TemporaryDirectory(prefix="xxgk-soffice-in-") as tmp:
        src = Path(tmp) / f"input{suffix}"
        src.write_bytes(data)
        return convert(src, to, timeout)
