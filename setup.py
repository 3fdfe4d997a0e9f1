"""The build's one compiled part: PDFium bulk calls for the PDF reader (readers/_bulk.c).

Optional: where it cannot be compiled (no C compiler, no Python headers) the build goes
on without it and the reader makes the same calls one by one.  XXGK_PURE=1 leaves it
out on purpose (a pure-Python wheel for another platform: scripts/wheelhouse.py).
Everything else of the build is in pyproject.toml.
"""

import os

from setuptools import Extension, setup

BULK = Extension(
    "xxgk.readers._bulk",
    sources=["src/xxgk/readers/_bulk.c"],
    optional=True,
    # (the reader's float arithmetic, operation by operation: no fused multiply-adds)
    extra_compile_args=[] if os.name == "nt" else ["-ffp-contract=off"],
)

setup(ext_modules=[] if os.environ.get("XXGK_PURE") == "1" else [BULK])
