"""The recogniser: offline (the model ships in the wheel), and a clear Chinese error
saying how to install it when the ocr extra is missing."""

from __future__ import annotations

import builtins
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from xxgk.ocr import engine
from xxgk.readers import ReadError, read_bytes

from .drawing import encoded, expected_rows, table_image


def test_reads_with_the_network_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HF_ENDPOINT", "HF_HUB_OFFLINE", "HUGGINGFACE_HUB_CACHE", "MODELSCOPE_CACHE"):
        monkeypatch.delenv(name, raising=False)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise OSError("network closed for this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(engine, "_ENGINE", None)  # the model is loaded again, offline
    doc = read_bytes(encoded(table_image(200).image, "PNG", 200), "scan.png")
    assert [[c.text for c in row] for row in doc.tables()[0].rows] == expected_rows()
    assert engine._ENGINE is not None


def test_in_a_network_namespace_of_its_own(tmp_path: Path) -> None:
    unshare = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    if unshare.returncode != 0:
        pytest.skip("unshare -n is not allowed here (the socket test above still runs)")
    path = tmp_path / "scan.png"
    path.write_bytes(encoded(table_image(150).image, "PNG", 150))
    code = (
        "import sys; from xxgk.readers import read; "
        "d = read(sys.argv[1]); print(d.tables()[0].rows[2][2].text)"
    )
    proc = subprocess.run(
        ["unshare", "-n", sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "21"


def test_without_the_extra_the_error_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_onnxruntime(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "onnxruntime" or name.startswith("onnxruntime."):
            raise ImportError("No module named 'onnxruntime'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnxruntime)
    monkeypatch.setattr(engine, "_ENGINE", None)
    with pytest.raises(ReadError) as info:
        read_bytes(encoded(table_image(150).image, "PNG", 150), "扫描件.png")
    assert info.value.source == "扫描件.png"
    assert 'pip install "xxgk[ocr]"' in info.value.problem
    assert "未安装文字识别" in info.value.problem
