from django.urls import path

from . import views

app_name = "alerts"

urlpatterns = [
    path("", views.SavedSearchListView.as_view(), name="list"),
    path("new/", views.SavedSearchCreateView.as_view(), name="create"),
    path("<int:pk>/delete/", views.SavedSearchDeleteView.as_view(), name="delete"),
    path("unsubscribe/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
]
