"""The portal's URLs plus the benchmark's floor page (a template, no database)."""

from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("bench/floor/", TemplateView.as_view(template_name="bench/floor.html"),
         name="bench_floor"),
    path("", include("portal.urls")),
]
