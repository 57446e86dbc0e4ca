from django.conf import settings
from rest_framework.throttling import AnonRateThrottle


class PublicRateThrottle(AnonRateThrottle):
    """Requests per client address (``API_RATE_LIMIT``, e.g. ``120/minute``); read when asked,
    so a deployment or a test may change it."""

    scope = "api"

    def get_rate(self):
        return settings.API_RATE_LIMIT
