from django.urls import path

from . import round_views, views

app_name = "reviews"

urlpatterns = [
    # The reviewer
    path("reviews/", views.ReviewerQueueView.as_view(), name="queue"),
    path("reviews/<int:pk>/conflict/", views.ConflictView.as_view(), name="conflict"),
    path("reviews/<int:pk>/", views.ScoreView.as_view(), name="score"),
    path("reviews/<int:pk>/documents/<int:document_pk>/", views.ReviewDocumentView.as_view(),
         name="document"),
    path("reviews/<int:pk>/cluster-documents/<int:document_pk>/",
         views.ReviewClusterDocumentView.as_view(), name="cluster_document"),
    # Staff
    path("manage/reviews/", views.ManageRoundsView.as_view(), name="manage"),
    path("manage/reviews/rounds/<int:round_pk>/", views.RoundAssignmentsView.as_view(),
         name="round"),
    path("manage/reviews/rounds/<int:round_pk>/matrix/", views.MatrixView.as_view(),
         name="matrix"),
    path("manage/reviews/rounds/<int:round_pk>/export.<str:fmt>", views.ExportView.as_view(),
         name="export"),
    path("manage/reviews/rounds/<int:round_pk>/mark-scored/", views.MarkRoundScoredView.as_view(),
         name="mark_round_scored"),
    path("manage/reviews/rounds/<int:round_pk>/applications/<int:pk>/",
         views.ApplicationAssignmentsView.as_view(), name="application"),
    path("manage/reviews/rounds/<int:round_pk>/applications/<int:pk>/mark-scored/",
         views.MarkScoredView.as_view(), name="mark_scored"),
    path("manage/reviews/rounds/<int:round_pk>/leniency/", views.LeniencyView.as_view(),
         name="leniency"),
    path("manage/reviews/rounds/<int:round_pk>/score-basis/", views.ScoreBasisView.as_view(),
         name="score_basis"),
    path("manage/reviews/rounds/<int:round_pk>/applications/<int:pk>/extra-reviewer/",
         views.ExtraReviewerView.as_view(), name="extra_reviewer"),
    path("manage/reviews/rounds/<int:round_pk>/rounds/", round_views.RoundsView.as_view(),
         name="rounds"),
    path("manage/reviews/rounds/<int:round_pk>/close/", round_views.CloseRoundView.as_view(),
         name="close_round"),
    path("manage/reviews/rounds/<int:round_pk>/open-next/",
         round_views.OpenNextRoundView.as_view(), name="open_next_round"),
    path("manage/reviews/rounds/<int:round_pk>/co-review/", round_views.CoReviewView.as_view(),
         name="co_review"),
    path("manage/reviews/rounds/<int:round_pk>/exempt/", round_views.ExemptView.as_view(),
         name="exempt"),
    path("manage/reviews/assignments/<int:pk>/replace/", views.ReplaceView.as_view(),
         name="replace"),
    path("manage/reviews/assignments/<int:pk>/reopen/", views.ReopenView.as_view(),
         name="reopen"),
]
