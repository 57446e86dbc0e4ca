from django.urls import path

from . import views

app_name = "settlement"

urlpatterns = [
    path("projects/<int:pk>/", views.ProjectView.as_view(), name="project"),
    path("projects/<int:pk>/deposit/", views.DepositView.as_view(), name="deposit"),
    path("projects/<int:pk>/pay/", views.PreparePaymentView.as_view(), name="pay"),
    path("projects/<int:pk>/orders/<int:order>/", views.OrderView.as_view(), name="order"),
    path("projects/<int:pk>/refunds/<int:refund>/paid/", views.RefundPaidView.as_view(),
         name="refund_paid"),
    path("projects/<int:pk>/claw-back/", views.ClawBackView.as_view(), name="claw_back"),
    path("projects/<int:pk>/report/", views.ReportView.as_view(), name="report"),
    path("projects/<int:pk>/report/save/", views.ReportSaveView.as_view(), name="report_save"),
    path("projects/<int:pk>/report/invoices/", views.InvoiceAddView.as_view(),
         name="invoice_add"),
    path("projects/<int:pk>/report/invoices/<int:invoice>/remove/",
         views.InvoiceRemoveView.as_view(), name="invoice_remove"),
    path("projects/<int:pk>/report/payments/", views.SupplierPaymentAddView.as_view(),
         name="payment_add"),
    path("projects/<int:pk>/report/submit/", views.ReportSubmitView.as_view(),
         name="report_submit"),
    path("projects/<int:pk>/settlement/", views.SettlementView.as_view(), name="settlement"),
    path("projects/<int:pk>/settlement/flags/<int:flag>/clear/", views.ClearFlagView.as_view(),
         name="clear_flag"),
    path("projects/<int:pk>/settlement/notice/", views.NoticeDownloadView.as_view(),
         name="notice"),
    path("projects/<int:pk>/settlement/inspector/", views.AssignInspectorView.as_view(),
         name="assign_inspector"),
    path("inspections/", views.InspectionListView.as_view(), name="inspections"),
    path("inspections/<int:pk>/", views.InspectionView.as_view(), name="inspection"),
    path("manage/projects/", views.CallListView.as_view(), name="calls"),
    path("manage/projects/calls/<int:call_id>/", views.CallProjectsView.as_view(),
         name="call_projects"),
    path("manage/projects/calls/<int:call_id>/budget/", views.BudgetView.as_view(),
         name="budget"),
    path("manage/projects/calls/<int:call_id>/payments.<str:format>",
         views.PaymentFileView.as_view(), name="payment_file"),
]
