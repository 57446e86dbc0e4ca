"""The open API, version 1: read-only, anonymous, rate-limited, cached and paginated.

Built with Django REST framework and drf-spectacular: the portal's models and filters are
Django's, and DRF serialises, paginates, throttles and describes them (OpenAPI 3 generated from
the serializers, so the schema cannot drift from the answers); the announcement list's own
django-filter set is reused as it is. django-ninja would have needed a pydantic schema beside
each model and has no throttling of its own.
"""

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.generic import TemplateView
from django_filters import rest_framework as filters
from rest_framework import viewsets
from rest_framework.renderers import JSONRenderer

from programs.enums import CallStatus
from programs.filters import AnnouncementFilter
from programs.models import Call, Programme, Region

from . import cache, selectors, serializers


class CachedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and details answered from the cache when they can be (``api.cache``): the
    throttle still counts every request."""

    def list(self, request, *args, **kwargs):
        return self._cached(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._cached(super().retrieve, request, *args, **kwargs)

    def _cached(self, view, request, *args, **kwargs):
        content = cache.get(request)
        if content is None:
            response = view(request, *args, **kwargs)
            content = JSONRenderer().render(response.data)
            cache.put(request, content)
        response = HttpResponse(content, content_type="application/json")
        patch_cache_control(response, public=True, max_age=settings.API_CACHE_SECONDS)
        patch_vary_headers(response, ["Accept-Language"])
        return response


class ProgrammeViewSet(CachedReadOnlyViewSet):
    """Programmes that have at least one public call."""

    serializer_class = serializers.ProgrammeSerializer

    def get_queryset(self):
        return selectors.public_programmes()


class CallFilter(filters.FilterSet):
    region = filters.ModelChoiceFilter(field_name="region", queryset=Region.objects.all(),
                                       to_field_name="code", help_text="Region code (GB, JN, JB)")
    programme = filters.ModelChoiceFilter(field_name="programme",
                                          queryset=Programme.objects.all(),
                                          to_field_name="code", help_text="Programme code")
    status = filters.ChoiceFilter(choices=CallStatus.choices, method="filter_status")

    class Meta:
        model = Call
        fields = ["region", "programme", "status"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(pk__in=Call.objects.with_status(value).values("pk"))


class AwardedMixin:
    """The awarded and remaining figures of the calls a page shows, in one query."""

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self.awarded = selectors.awarded_by_call(call.pk for call in page or [])
        return page

    def get_object(self):
        call = super().get_object()
        self.awarded = selectors.awarded_by_call([call.pk])
        return call

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "awarded": getattr(self, "awarded", {})}


class CallViewSet(AwardedMixin, CachedReadOnlyViewSet):
    """Public calls (those with a published announcement) with their tracks, funding shares
    and caps, budget lines (amount, awarded, remaining) and events."""

    serializer_class = serializers.CallSerializer
    filterset_class = CallFilter

    def get_queryset(self):
        return selectors.public_calls()


class AnnouncementViewSet(CachedReadOnlyViewSet):
    """Published announcements, newest first, filtered as the announcement list is."""

    serializer_class = serializers.AnnouncementSerializer
    filterset_class = AnnouncementFilter

    def get_queryset(self):
        return selectors.public_announcements()


class SupplierViewSet(CachedReadOnlyViewSet):
    """The supplier pool: suppliers staff have approved."""

    serializer_class = serializers.SupplierSerializer

    def get_queryset(self):
        return selectors.public_supplier_pool()


class PublishedResultViewSet(CachedReadOnlyViewSet):
    """Published selection results, newest first."""

    serializer_class = serializers.PublishedResultSerializer

    def get_queryset(self):
        return selectors.public_results()


class DocsView(TemplateView):
    """Swagger UI from the vendored files (static/vendor/swagger-ui), no CDN."""

    template_name = "api/docs.html"
