"""``make test-all``: the tests on every Python 3.10-3.13 found on this machine."""

from __future__ import annotations

import nox

nox.options.error_on_missing_interpreters = False
nox.options.reuse_existing_virtualenvs = True


@nox.session(python=["3.10", "3.11", "3.12", "3.13"])
def tests(session: nox.Session) -> None:
    """Install the package with its test dependencies and run pytest."""
    session.install("-e", ".[hypothesis,html,docx,json]", "--group", "test")
    session.run("pytest", "-p", "no:cacheprovider", *session.posargs)
