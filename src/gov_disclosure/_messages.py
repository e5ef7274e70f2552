"""
Messages that can be said in another language: English text that keeps its template and parameters.

The library speaks English to Python callers (an exception's message, a
parser warning's ``message``).  The command line speaks the user's language,
so a message the library builds with :func:`M_` is a ``str`` (the English
text, as before) that also remembers its English template and parameters:
:func:`say` formats the template's translation (the command line's gettext
catalogue, ``gov_disclosure_cli``, whose message ids are these templates)
with the same parameters.  ``make locale-extract`` finds the templates by the
``M_`` keyword in the library's sources; the test of the catalogues fails
when one has no translation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["M_", "Message", "say"]


class Message(str):
    """The English text of ``template.format(**params)``, remembering *template* and *params*."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, /, **params: Any) -> Message:
        self = super().__new__(cls, template.format(**params))
        self.template = template
        self.params = params
        return self

    def __reduce__(self) -> tuple[Any, ...]:
        # Worker processes send warnings and errors back pickled: the template survives.
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)


def M_(template: str, /, **params: Any) -> str:
    """A :class:`Message` (typed as the ``str`` it is; the name marks *template* for extraction)."""
    return Message(template, **params)


def say(text: object, translate: Callable[[str], str]) -> str:
    """
    *text* in another language: a :class:`Message`'s template through *translate*, else ``str(text)``.

    Parameters that are messages themselves are said the same way.

    >>> m = M_("{n} number(s) printed with thousands separators", n=2)
    >>> m, say(m, {"{n} number(s) printed with thousands separators": "{n} 个数带千位分隔符"}.get)
    ('2 number(s) printed with thousands separators', '2 个数带千位分隔符')
    >>> say("plain text", str.upper)
    'plain text'
    """
    if not isinstance(text, Message):
        return str(text)
    template = translate(text.template) or text.template
    params = {k: say(v, translate) if isinstance(v, Message) else v for k, v in text.params.items()}
    return template.format(**params)
