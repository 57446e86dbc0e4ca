from django.urls import path

from . import views

app_name = "awards"

urlpatterns = [
    path("manage/awards/", views.AwardCallListView.as_view(), name="calls"),
    path("manage/awards/calls/<int:call_id>/", views.CallRunsView.as_view(), name="call_runs"),
    path("manage/awards/calls/<int:call_id>/start/", views.StartRunView.as_view(),
         name="start_run"),
    path("manage/awards/calls/<int:call_id>/budget/", views.BudgetDashboardView.as_view(),
         name="budget"),
    path("manage/awards/runs/<int:pk>/", views.RunDetailView.as_view(), name="run"),
    path("manage/awards/runs/<int:pk>/export.<str:fmt>", views.RunExportView.as_view(),
         name="run_export"),
    path("manage/awards/runs/<int:pk>/status/", views.RunStatusView.as_view(),
         name="run_status"),
    path("manage/awards/runs/<int:pk>/requeue/", views.RequeueRunView.as_view(),
         name="requeue_run"),
    path("manage/awards/runs/<int:pk>/confirm/", views.ConfirmRunView.as_view(),
         name="confirm_run"),
    path("manage/awards/runs/<int:pk>/notices/progress/", views.NoticeProgressView.as_view(),
         name="notice_progress"),
    path("manage/awards/runs/<int:pk>/notices/send/", views.SendNoticesView.as_view(),
         name="send_notices"),
    path("notices/<int:pk>/download/", views.NoticeDownloadView.as_view(),
         name="notice_download"),
    path("notices/verify/", views.VerifyFormView.as_view(), name="verify"),
    path("notices/verify/<str:code>/", views.VerifyView.as_view(), name="notice_verify"),
]
