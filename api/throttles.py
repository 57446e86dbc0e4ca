from django.conf import settings
from django_ratelimit.core import get_usage
from rest_framework.throttling import BaseThrottle


class PublicRateThrottle(BaseThrottle):
    """At most ``API_RATE_LIMIT`` requests (``120/m``) per client address in a fixed window,
    counted by django-ratelimit (one ``add`` or ``incr`` in the shared cache a request; DRF's
    own throttles read and write back every request's timestamp in the window). The address is
    DRF's: ``REMOTE_ADDR``, or ``X-Forwarded-For`` as far as ``NUM_PROXIES`` proxies wrote it."""

    def allow_request(self, request, view):
        usage = get_usage(request, group="api", key=lambda group, _request: self.get_ident(
            request) or "unknown", rate=settings.API_RATE_LIMIT, increment=True)
        self.time_left = usage["time_left"] if usage else 0
        return not (usage and usage["should_limit"])

    def wait(self):
        return max(self.time_left, 1)
