from django.urls import path

from portal.pagecache import cache_public_feed

from . import calendar, feeds, views

app_name = "programs"

urlpatterns = [
    path("announcements/", views.AnnouncementListView.as_view(), name="announcement_list"),
    path("announcements/feed/", cache_public_feed(feeds.AnnouncementFeed()),
         name="announcement_feed"),
    path("announcements/calendar.ics", calendar.DeadlinesCalendarView.as_view(),
         name="deadlines_ics"),
    path("announcements/<int:pk>/calendar.ics", calendar.AnnouncementCalendarView.as_view(),
         name="announcement_ics"),
    path("announcements/<int:pk>/", views.AnnouncementDetailView.as_view(),
         name="announcement_detail"),
    path("announcements/<int:pk>/apply/", views.ApplyView.as_view(), name="apply"),
    path("announcements/<int:pk>/attachments/<int:attachment_pk>/",
         views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("manage/announcements/", views.ManageAnnouncementListView.as_view(),
         name="manage_announcements"),
    path("manage/announcements/new/", views.AnnouncementCreateView.as_view(),
         name="announcement_create"),
    path("manage/announcements/<int:pk>/edit/", views.AnnouncementUpdateView.as_view(),
         name="announcement_edit"),
    path("manage/announcements/<int:pk>/preview/", views.AnnouncementPreviewView.as_view(),
         name="announcement_preview"),
    path("manage/announcements/<int:pk>/publish/", views.AnnouncementPublishView.as_view(),
         name="announcement_publish"),
    path("manage/announcements/<int:pk>/unpublish/", views.AnnouncementUnpublishView.as_view(),
         name="announcement_unpublish"),
    path("manage/announcements/<int:pk>/attachments/<int:attachment_pk>/delete/",
         views.AttachmentDeleteView.as_view(), name="attachment_delete"),
]
