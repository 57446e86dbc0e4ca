from django.urls import path

from . import views

app_name = "companies"

urlpatterns = [
    path("company/", views.CompanyDetailView.as_view(), name="company"),
    path("company/new/", views.CompanyCreateView.as_view(), name="company_create"),
    path("company/edit/", views.CompanyUpdateView.as_view(), name="company_edit"),
    path("company/invite/", views.InviteView.as_view(), name="company_invite"),
    path("company/invitations/<uuid:token>/", views.InvitationAcceptView.as_view(),
         name="invitation_accept"),
]
