"""Each account's language, kept for the emails the portal sends it later (from a worker, to
a person who is not the one acting): the language of its last sign-in or switch."""

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation
from django.views.i18n import set_language as django_set_language


def remember(user, language: str | None) -> None:
    try:
        language = translation.get_supported_language_variant(language) if language else ""
    except LookupError:
        return
    if user.is_authenticated and language and user.language != language:
        user.language = language
        get_user_model().objects.filter(pk=user.pk).update(language=language)


@receiver(user_logged_in, dispatch_uid="portal.languages.on_login")
def on_login(sender, request, user, **kwargs):
    remember(user, translation.get_language())


def set_language(request):
    """Django's language switch, which also records the choice on the account."""
    response = django_set_language(request)
    if request.method == "POST":
        remember(request.user, request.POST.get("language"))
    return response
