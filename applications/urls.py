from django.urls import path

from .views import application, documents, staff

app_name = "applications"

urlpatterns = [
    path("applications/start/<int:call_pk>/", application.StartApplicationView.as_view(),
         name="start"),
    path("applications/<int:pk>/", application.ApplicationDetailView.as_view(), name="detail"),
    path("applications/<int:pk>/plan/autosave/", application.AutosaveView.as_view(),
         name="autosave"),
    path("applications/<int:pk>/plan/support/", application.SupportPreviewView.as_view(),
         name="support_preview"),
    path("applications/<int:pk>/plan/<slug:step>/", application.PlanStepView.as_view(),
         name="step"),
    path("applications/<int:pk>/documents/", documents.DocumentsView.as_view(),
         name="documents"),
    path("applications/<int:pk>/documents/<int:document_pk>/",
         documents.DocumentDownloadView.as_view(), name="document_download"),
    path("applications/<int:pk>/documents/<int:document_pk>/delete/",
         documents.DocumentDeleteView.as_view(), name="document_delete"),
    path("applications/<int:pk>/submit/", application.SubmitView.as_view(), name="submit"),
    path("applications/<int:pk>/withdraw/", application.WithdrawView.as_view(),
         name="withdraw"),
    path("applications/<int:pk>/reopen/", application.ReopenView.as_view(), name="reopen"),
    path("applications/<int:pk>/versions/<int:number>/", application.VersionView.as_view(),
         name="version"),
    path("staff/applications/<int:pk>/", staff.ScreeningView.as_view(), name="screening"),
    path("staff/applications/<int:pk>/bonus/<int:claim_pk>/", staff.BonusVerifyView.as_view(),
         name="bonus_verify"),
    path("operator/applications/", staff.OperatorApplicationListView.as_view(),
         name="operator_list"),
    path("operator/applications/<int:pk>/", staff.OperatorApplicationDetailView.as_view(),
         name="operator_detail"),
]
