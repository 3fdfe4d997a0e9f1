"""The office's request ledger: requests and their events, the working-day calendar,
fees (国办函〔2020〕109号), review and litigation cases, the proactive register, and the
year's ``Report`` built from them (checked and rendered like any other report).

``calendar`` and ``fees`` are pure (no database); ``service`` keeps the ledger in the
store's database (``xxgk.store.ledger_models``); ``report`` builds the annual report.
"""
