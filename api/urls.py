from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import views
from .exceptions import not_found

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("calls", views.CallViewSet, basename="call")
router.register("announcements", views.AnnouncementViewSet, basename="announcement")
router.register("suppliers", views.SupplierViewSet, basename="supplier")
router.register("results", views.PublishedResultViewSet, basename="result")

urlpatterns = [
    path("v1/", RedirectView.as_view(pattern_name="api:docs"), name="root"),
    path("v1/schema/", SpectacularAPIView.as_view(api_version="v1"), name="schema"),
    path("v1/docs/", views.DocsView.as_view(), name="docs"),
    path("v1/", include(router.urls)),
    re_path(r"^.*$", not_found),
]
