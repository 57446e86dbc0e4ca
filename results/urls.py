from django.urls import path

from . import views

app_name = "results"

urlpatterns = [
    path("results/", views.ResultListView.as_view(), name="list"),
    path("results/<int:pk>/", views.ResultDetailView.as_view(), name="detail"),
    path("results/calls/<int:call_id>/fragment/", views.CallResultsFragmentView.as_view(),
         name="call_fragment"),
    path("manage/results/", views.ManageResultsView.as_view(), name="manage"),
    path("manage/results/runs/<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
]
