from django.urls import path

from . import views

app_name = "clusters"

urlpatterns = [
    path("new/", views.ClusterOpenView.as_view(), name="open"),
    path("invitations/<uuid:token>/", views.InvitationView.as_view(), name="invitation"),
    path("<int:pk>/", views.ClusterDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ClusterEditView.as_view(), name="edit"),
    path("<int:pk>/invite/", views.ClusterInviteView.as_view(), name="invite"),
    path("<int:pk>/invitations/<int:invitation_pk>/cancel/",
         views.InvitationCancelView.as_view(), name="invitation_cancel"),
    path("<int:pk>/part/", views.MemberPartView.as_view(), name="part"),
    path("<int:pk>/part/support/", views.MemberPartPreviewView.as_view(),
         name="part_preview"),
    path("<int:pk>/submit/", views.ClusterSubmitView.as_view(), name="submit"),
    path("<int:pk>/withdraw-submission/", views.WithdrawSubmissionView.as_view(),
         name="withdraw_submission"),
    path("<int:pk>/leave/", views.LeaveClusterView.as_view(), name="leave"),
    path("<int:pk>/documents/<int:document_pk>/", views.ClusterDocumentView.as_view(),
         name="document"),
]
