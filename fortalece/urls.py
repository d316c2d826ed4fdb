from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from fortalece.api.urls import api_urls
from fortalece.impact import urls as impact_urls
from fortalece.people import urls as people_urls
from fortalece.privacy import urls as privacy_urls
from fortalece.training import urls as training_urls

urlpatterns = [
    path("", include("fortalece.core.urls")),
    path("accounts/mfa/", include("fortalece.accounts.urls_mfa")),
    path("accounts/", include("allauth.urls")),
    path("users/", include("fortalece.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("geography/", include("fortalece.geography.urls")),
    path("programmes/", include("fortalece.programmes.urls")),
    # A higher app may add pages to a lower app's namespace (docs/architecture.md, layers).
    path(
        "people/",
        include((people_urls.urlpatterns + privacy_urls.people_urlpatterns, people_urls.app_name)),
    ),
    path("privacy/", include("fortalece.privacy.urls")),
    path(
        "training/",
        include(
            (training_urls.urlpatterns + impact_urls.training_urlpatterns, training_urls.app_name)
        ),
    ),
    path("imports/", include("fortalece.imports.urls")),
    path("reports/", include("fortalece.reporting.urls")),
    path("cascade/", include("fortalece.cascade.urls")),
    path("evaluation/", include("fortalece.impact.urls")),
    path("learning/quizzes/", include("fortalece.quizzes.urls")),
    path("learning/assignments/", include("fortalece.assignments.urls")),
    path("learning/", include("fortalece.learning.urls")),
    path("messages/", include("fortalece.messaging.urls")),
    path("", include("fortalece.credentials.urls")),
    path("", include("fortalece.referrals.urls")),
    path("", include("fortalece.api.urls")),
    *api_urls,
    path(f"{settings.FORTALECE_ADMIN_PATH}/", admin.site.urls),
]
