"""Running the SQL under ``queries/``: quoting, the runner, seeds and contracts."""

from pathlib import Path

QUERIES_DIR = Path(__file__).resolve().parent.parent.parent / "queries"
