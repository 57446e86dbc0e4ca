"""Kinds of application other than a company's own (a cluster's, say), registered by the app
that owns them from its ``AppConfig.ready()``, so that this app shows and checks them without
importing an app above it (the layers in ``.importlinter``).

A kind names the key of its frozen versions (``PlanVersion.data["kind"]``) and gives:

- ``version_display(version, user) -> dict``: what a version's page adds to the company
  version's display;
- ``eligibility_failures(application, version, *, now=None) -> list``: the eligibility checks of
  such an application (staff screening).
"""

from collections.abc import Callable
from dataclasses import dataclass

CLUSTER = "cluster"  # the kind of a cluster's application, registered by ``clusters``


@dataclass(frozen=True)
class Kind:
    version_display: Callable
    eligibility_failures: Callable


_KINDS: dict[str, Kind] = {}


def register(name: str, *, version_display: Callable, eligibility_failures: Callable) -> None:
    _KINDS[name] = Kind(version_display=version_display,
                        eligibility_failures=eligibility_failures)


def of_version(data: dict) -> Kind | None:
    """The registered kind of a frozen version's data, or None for a company's own."""
    return _KINDS.get(data.get("kind", ""))


def get(name: str) -> Kind:
    return _KINDS[name]
