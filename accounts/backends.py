"""Authentication backends: Django's and allauth's, loading the signed-in user with its
reviewer profile in the same query.

The header shows a reviewer no "My company" and every reviewer rule asks for the profile
(``reviews.rules.profile_of``); joined here, neither costs a query of its own on any page."""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

# The reverse one-to-one relations read on most pages; a missing one is cached as absent.
USER_RELATIONS = ("reviewer_profile",)


class _LoadsRelations:
    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            user = user_model._default_manager.select_related(*USER_RELATIONS).get(pk=user_id)
        except user_model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class ModelBackend(_LoadsRelations, DjangoModelBackend):
    pass


class AuthenticationBackend(_LoadsRelations, AllauthBackend):
    pass
