"""The suite under pytest-xdist (``make test``): the slowest files handed out first."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest

from tests import conftest


def test_every_listed_slow_file_exists() -> None:
    missing = [p for p in conftest.SLOW_FILES if not (conftest.ROOT / p).is_file()]
    assert missing == [], f"renamed or removed: update SLOW_FILES in tests/conftest.py: {missing}"


def _items(*nodeids: str) -> list[pytest.Item]:
    return [cast(pytest.Item, SimpleNamespace(nodeid=n)) for n in nodeids]


def test_workers_take_the_slow_files_first_and_keep_the_rest_in_order() -> None:
    slow = conftest.SLOW_FILES
    items = _items(
        "tests/a/test_one.py::test_x",
        f"{slow[1]}::test_y",
        "tests/a/test_one.py::test_z",
        f"{slow[0]}::test_m[1]",
        "tests/b/test_two.py::test_w",
        f"{slow[0]}::test_n",
    )
    worker = cast(Any, SimpleNamespace(workerinput={"workerid": "gw0"}))
    conftest.pytest_collection_modifyitems(worker, items)
    assert [i.nodeid for i in items] == [
        f"{slow[0]}::test_m[1]",
        f"{slow[0]}::test_n",
        f"{slow[1]}::test_y",
        "tests/a/test_one.py::test_x",
        "tests/a/test_one.py::test_z",
        "tests/b/test_two.py::test_w",
    ]


def test_a_serial_run_keeps_the_collected_order() -> None:
    order = ["tests/a/test_one.py::test_x", f"{conftest.SLOW_FILES[0]}::test_y"]
    items = _items(*order)
    conftest.pytest_collection_modifyitems(cast(Any, SimpleNamespace()), items)
    assert [i.nodeid for i in items] == order
