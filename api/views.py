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
from programs.filters import AnnouncementFilter as ListAnnouncementFilter
from programs.models import Announcement, Call, Programme, Region

from . import cache, selectors, serializers


class CachedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Lists and details answered from the cache when they can be (``api.cache``). An answer
    found there is not counted by the rate limit: it costs what a refusal would (one cache
    read), and the limit is there to protect the database."""

    def dispatch(self, request, *args, **kwargs):
        # A cached answer goes out before REST framework's request handling (negotiation,
        # permissions, throttles): it is one cache read.
        if request.method in ("GET", "HEAD"):
            content = cache.get(request)
            if content is not None:
                return self._answer(content)
        return super().dispatch(request, *args, **kwargs)

    def list(self, request, *args, **kwargs):
        return self._computed(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._computed(super().retrieve, request, *args, **kwargs)

    def _computed(self, view, request, *args, **kwargs):
        content = JSONRenderer().render(view(request, *args, **kwargs).data)
        cache.put(request, content)
        return self._answer(content)

    @staticmethod
    def _answer(content):
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


class AnnouncementFilter(filters.FilterSet):
    """The announcement list's filters (``programs.filters.AnnouncementFilter``: the same
    parameters, the same search and status), as a filter set of the API's own: the schema
    generator reads each filter's form field, which django-filter then keeps on the filter
    object, and the list's sector choices are set per request on a shared one (a schema once
    generated left the list's sector filter refusing every sector)."""

    region = filters.ModelChoiceFilter(field_name="call__region", queryset=Region.objects.all(),
                                       to_field_name="code", help_text="Region code (GB, JN, JB)")
    sector = filters.CharFilter(field_name="call__sector", help_text="Sector, as calls name it")
    programme = filters.ModelChoiceFilter(field_name="call__programme",
                                          queryset=Programme.objects.all(),
                                          to_field_name="code", help_text="Programme code")
    status = filters.ChoiceFilter(choices=CallStatus.choices, method="filter_status",
                                  help_text="The call's status now")
    q = filters.CharFilter(method="filter_search", help_text="Words in the title, body, call, "
                                                             "sector or region")

    class Meta:
        model = Announcement
        fields = ["region", "sector", "programme", "status", "q"]

    filter_status = ListAnnouncementFilter.filter_status
    filter_search = ListAnnouncementFilter.filter_search


class CallDetailsMixin:
    """The tracks, shares, budget lines, events and awarded figures of the calls a page
    shows: five queries, whatever the page holds."""

    def _load(self, calls):
        ids = [call.pk for call in calls]
        self.details = selectors.call_details(ids)
        self.awarded = selectors.awarded_by_call(ids)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        self._load(page or [])
        return page

    def get_object(self):
        call = super().get_object()
        self._load([call])
        return call

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "awarded": getattr(self, "awarded", {}),
                "details": getattr(self, "details", {})}


class CallViewSet(CallDetailsMixin, CachedReadOnlyViewSet):
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
