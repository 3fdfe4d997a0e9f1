"""Writing reports in the statutory layout."""
