"""Publishing: the CSV rules, the downloads and their data package, a unit's own CSV, the
release history, the mkdocs site build and swap, and fetching an export before a build."""
