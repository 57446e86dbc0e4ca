"""The portal's URLs plus views that fail on purpose, for the error page tests."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import OperationalError
from django.urls import path

from portal.urls import urlpatterns as portal_urlpatterns


def forbidden(request):
    raise PermissionDenied


def bad(request):
    raise SuspiciousOperation("a malformed request")


def database_down(request):
    raise OperationalError("could not connect to server: Connection refused")


urlpatterns = [
    path("test-errors/403/", forbidden),
    path("test-errors/400/", bad),
    path("test-errors/500/", database_down),
    *portal_urlpatterns,
]
