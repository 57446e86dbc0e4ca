"""The one-click unsubscribe token of a saved search: signed, needs no login, never expires
(an old email's link still works); a tampered token is refused by its signature."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "alerts.unsubscribe"


def make_token(search) -> str:
    return signing.dumps({"s": search.pk}, salt=SALT, compress=False)


def search_id(token: str) -> int:
    """The saved search's id; raises ``signing.BadSignature`` for a tampered token."""
    data = signing.loads(token, salt=SALT)
    if not isinstance(data, dict) or not isinstance(data.get("s"), int):
        raise signing.BadSignature("malformed")
    return data["s"]


def unsubscribe_url(search) -> str:
    return settings.SITE_URL + reverse("alerts:unsubscribe", args=[make_token(search)])
