from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("agreements/<int:pk>/", views.AgreementDetailView.as_view(), name="agreement"),
    path("agreements/<int:pk>/save/", views.AgreementSaveView.as_view(), name="save"),
    path("agreements/<int:pk>/decline/", views.DeclineView.as_view(), name="decline"),
    path("agreements/<int:pk>/design/", views.DesignUploadView.as_view(), name="design"),
    path("agreements/<int:pk>/changes/new/", views.ChangeRequestCreateView.as_view(),
         name="change_new"),
    path("agreements/versions/<int:pk>/download/", views.VersionDownloadView.as_view(),
         name="version_download"),
    path("agreements/notices/<int:pk>/download/", views.AdditionalNoticeDownloadView.as_view(),
         name="notice_download"),
    path("manage/agreements/", views.AgreementListView.as_view(), name="agreements"),
    path("manage/agreements/<int:pk>/cancel/", views.CancelView.as_view(), name="cancel"),
    path("manage/agreements/changes/", views.ChangeRequestListView.as_view(), name="changes"),
    path("manage/agreements/changes/<int:pk>/", views.ChangeRequestDecideView.as_view(),
         name="change"),
    path("manage/promotions/", views.PromotionCallListView.as_view(), name="promotion_calls"),
    path("manage/promotions/calls/<int:call_id>/", views.PromotionCallView.as_view(),
         name="promotion_call"),
    path("manage/promotions/tracks/<int:track_id>/start/", views.StartPromotionView.as_view(),
         name="start_promotion"),
    path("manage/promotions/runs/<int:pk>/", views.PromotionRunView.as_view(), name="promotion"),
    path("manage/promotions/runs/<int:pk>/confirm/", views.ConfirmPromotionView.as_view(),
         name="confirm_promotion"),
    path("manage/exclusions/", views.ExclusionListView.as_view(), name="exclusions"),
]
