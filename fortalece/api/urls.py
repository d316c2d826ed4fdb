from django.urls import path

from fortalece.api import views
from fortalece.api.v1 import api

app_name = "integrations"

urlpatterns = [
    path("account/api-tokens/", views.TokenListView.as_view(), name="tokens"),
    path(
        "account/api-tokens/<int:pk>/revoke/",
        views.TokenRevokeView.as_view(),
        name="token_revoke",
    ),
    path("evaluation/instruments/<int:pk>/kobo/", views.KoboFeedView.as_view(), name="kobo_feeds"),
]

api_urls = [path("api/v1/", api.urls)]
