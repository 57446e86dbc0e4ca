from django.urls import path

from . import supplier_views as views

app_name = "suppliers"

urlpatterns = [
    path("", views.SupplierListView.as_view(), name="list"),
    path("register/", views.SupplierRegisterView.as_view(), name="register"),
    path("<int:pk>/", views.SupplierDetailView.as_view(), name="detail"),
    path("<int:pk>/approve/", views.SupplierApproveView.as_view(), name="approve"),
]
