"""Running the SQL under ``queries/``: quoting, the runner, seeds and contracts."""
