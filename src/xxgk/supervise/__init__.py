"""Supervision: figures over many reports (indicators, rankings, trends), year-over-year
comparison and notices to agencies.  Imports the core and ``store``; never ``web``.  The
core never imports it."""
