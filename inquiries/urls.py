from django.urls import path

from . import views

app_name = "inquiries"

urlpatterns = [
    path("announcements/<int:pk>/questions/", views.AnnouncementQuestionsView.as_view(),
         name="announcement_questions"),
    path("announcements/<int:pk>/questions/new/", views.AskView.as_view(), name="ask"),
    path("questions/<int:pk>/", views.QuestionDetailView.as_view(), name="detail"),
    path("questions/<int:pk>/attachment/", views.AttachmentDownloadView.as_view(),
         name="attachment"),
    path("questions/<int:pk>/answer/", views.AnswerView.as_view(), name="answer"),
    path("questions/<int:pk>/close/", views.CloseView.as_view(), name="close"),
    path("questions/<int:pk>/faq/", views.FaqView.as_view(), name="faq"),
    path("manage/questions/", views.InboxView.as_view(), name="inbox"),
]
