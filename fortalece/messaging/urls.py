from django.urls import path

from fortalece.messaging import views

app_name = "messaging"

urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("preferences/", views.preferences, name="preferences"),
    path("push/subscribe/", views.push_subscribe, name="push_subscribe"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<int:pk>/", views.announcement, name="announcement"),
    path("announcements/<int:pk>/delete/", views.announcement_delete, name="announcement_delete"),
    path("announce/cohort/<int:pk>/", views.announce_cohort, name="announce_cohort"),
    path("announce/course/<int:pk>/", views.announce_course, name="announce_course"),
    path("announce/programme/<int:pk>/", views.announce_programme, name="announce_programme"),
    path("", views.inbox, name="inbox"),
    path("new/", views.thread_new, name="thread_new"),
    path("cohort/<int:pk>/", views.cohort_thread, name="cohort_thread"),
    path("threads/<int:pk>/", views.thread, name="thread"),
    path("posts/<int:pk>/hide/", views.message_hide, name="message_hide"),
    path("lessons/<int:pk>/comments/", views.comment_post, name="comment_post"),
    path("lessons/<int:pk>/comments/more/", views.comment_list, name="comment_list"),
    path("comments/<int:pk>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:pk>/report/", views.comment_report, name="comment_report"),
    path("comments/<int:pk>/moderate/", views.comment_moderate, name="comment_moderate"),
    path("moderation/", views.moderation, name="moderation"),
]
