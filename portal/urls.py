from django.contrib import admin
from django.urls import include, path

from . import languages, mfa, views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("i18n/setlang/", languages.set_language, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("allauth.urls")),
    # The admin signs in through allauth (rate limits, two-factor step): see portal/mfa.py.
    path("admin/login/", mfa.admin_login, name="admin_login"),
    path("admin/", admin.site.urls),
    path("", include("programs.urls")),
    path("", include("reviews.urls")),
    path("", include("companies.urls")),
    path("", include("applications.urls")),
    path("", include("awards.urls")),
    path("", include("projects.urls")),
    path("", include("settlement.urls")),
    path("clusters/", include("clusters.urls")),
    path("suppliers/", include("companies.supplier_urls")),
    path("", include("inquiries.urls")),
    path("alerts/", include("alerts.urls")),
    path("", include("results.urls")),
    path("api/", include("api.urls")),
]
