"""Authentication backends: Django's and allauth's, loading the signed-in user with its
reviewer profile (and the apps' ``USER_ANNOTATIONS``) in the same query.

The header shows a reviewer no "My company" and every reviewer rule asks for the profile
(``reviews.rules.profile_of``); joined here, neither costs a query of its own on any page."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.utils.module_loading import import_string

# The reverse one-to-one relations read on most pages; a missing one is cached as absent.
USER_RELATIONS = ("reviewer_profile",)


def user_annotations() -> dict:
    """What the apps above add to the signed-in user's query (``settings.USER_ANNOTATIONS``:
    name → the dotted path of a function returning an expression), such as whether the user
    has inspections to do (the header's link): read with the user, no query of their own."""
    return {name: import_string(path)()
            for name, path in getattr(settings, "USER_ANNOTATIONS", {}).items()}


class _LoadsRelations:
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = (user_model._default_manager.select_related(*USER_RELATIONS)
                    .annotate(**user_annotations()).get(pk=user_id))
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_LoadsRelations, DjangoModelBackend):
    pass


class AuthenticationBackend(_LoadsRelations, AllauthBackend):
    pass
