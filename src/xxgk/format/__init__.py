"""The statutory format as data: both versions, their tables, labels and sums."""

from .spec import Column, Identity, Kind, Row, Section, Table, Version
from .versions import (
    APPLICANTS,
    CONTENT,
    LITIGATION,
    ORGANISATIONS,
    REPORT_TITLE,
    REVIEW,
    SECTIONS,
    T3_APPLICANTS,
    T3_GROUPS,
    T3_NOTE,
    V2019,
    V2021,
    VERSIONS,
    version,
)

__all__ = [
    "APPLICANTS",
    "CONTENT",
    "LITIGATION",
    "ORGANISATIONS",
    "REPORT_TITLE",
    "REVIEW",
    "SECTIONS",
    "T3_APPLICANTS",
    "T3_GROUPS",
    "T3_NOTE",
    "V2019",
    "V2021",
    "VERSIONS",
    "Column",
    "Identity",
    "Kind",
    "Row",
    "Section",
    "Table",
    "Version",
    "version",
]
