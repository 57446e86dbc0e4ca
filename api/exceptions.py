"""Every error of the open API is JSON with a translated ``detail`` and the HTTP status:
never an HTML page, never a 500 for what a client sent."""

from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_handler


def exception_handler(exc, context):
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        exc.detail = ngettext("Too many requests: try again in %(seconds)d second.",
                              "Too many requests: try again in %(seconds)d seconds.",
                              wait) % {"seconds": wait}
    elif isinstance(exc, exceptions.NotFound) and str(exc.detail) == str(
            exceptions.NotFound.default_detail):
        exc.detail = _("Not found: no public object has this id.")
    elif isinstance(exc, exceptions.MethodNotAllowed):
        exc.detail = _("The open API is read-only: only GET, HEAD and OPTIONS are allowed.")
    response = drf_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        response.data["status"] = response.status_code
    return response


def not_found(request, *args, **kwargs):
    """Any URL under /api/ that names no endpoint."""
    return JsonResponse({"detail": _("No endpoint at this address: the API's endpoints are "
                                     "listed in its schema, /api/v1/schema/."), "status": 404},
                        status=404)
