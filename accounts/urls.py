from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("consent/", views.ConsentView.as_view(), name="consent"),
]
