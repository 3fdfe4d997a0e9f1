"""The dataset of the generated folder, built once for the tests that only read it."""

from __future__ import annotations

from pathlib import Path

import pytest

from xxgk import api, dataset

from .corpus import Made, extras, make


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Made], dataset.Totals]:
    root = tmp_path_factory.mktemp("ds")
    made = make(root / "in")
    extras(root / "in", made)
    totals = api.write_dataset([root / "in"], root / "out", jobs=1)
    return root / "out", made, totals
