"""Documents besides the notices that the public verification page confirms.

The page (``views.VerifyView``) looks a code up among the notices first, then asks each
registered lookup: an app above awards (the agreements and additional selection notices of
``projects``) registers one in its ``AppConfig.ready``, so awards never imports it. A lookup
takes a normalised code and returns ``{"code", "kind", "facts": [(label, value), …]}`` or None.
"""

from collections.abc import Callable

_LOOKUPS: list[Callable[[str], dict | None]] = []


def register(lookup: Callable[[str], dict | None]):
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)
    return lookup


def find(code: str) -> dict | None:
    for lookup in _LOOKUPS:
        document = lookup(code)
        if document is not None:
            return document
    return None
