"""The web application: pages and ``/api/v1`` over ``xxgk.api`` and ``xxgk.store``."""
