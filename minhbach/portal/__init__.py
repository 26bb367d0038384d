"""The national portal's published Decision 766 evaluation (``portal.md``).

``read_portal`` reads the portal's JSON files (raw API responses or crawler files) into the
``raw_portal_*`` tables, exactly as published: ``read.py`` (the tables), ``shapes.py`` (the shapes
recognised), ``periods.py`` (periods, capture times, ``manifest.csv``).
"""

from .read import TABLES, PortalFile, PortalReport, create_empty, read_portal

__all__ = ["TABLES", "PortalFile", "PortalReport", "create_empty", "read_portal"]
