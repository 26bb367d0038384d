"""Errors that stop a build with one clear line (never a traceback)."""


class BuildError(Exception):
    """A problem that stops the build. Its message is one line, free of personal data."""

    exit_code = 1


class InputError(BuildError):
    """Bad input: a file is missing, unreadable or breaks the data contract."""

    exit_code = 2

    def __init__(self, file: str, problem: str):
        self.file = file
        self.problem = problem
        super().__init__(f"{file}: {problem}")


class InvariantError(BuildError):
    """A computed table breaks an invariant (a bug or inconsistent data): nothing is published."""

    exit_code = 3
