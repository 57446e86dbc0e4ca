from django.urls import path

from . import views

app_name = "settlement"

urlpatterns = [
    path("projects/<int:pk>/", views.ProjectView.as_view(), name="project"),
]
