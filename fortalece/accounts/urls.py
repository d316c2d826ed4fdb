from django.urls import path

from fortalece.accounts import views, views_mfa

app_name = "accounts"
urlpatterns = [
    path("", views.UserListView.as_view(), name="user_list"),
    path("new/", views.UserCreateView.as_view(), name="user_create"),
    path("<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_update"),
    path("<int:pk>/mfa-reset/", views_mfa.MFAResetView.as_view(), name="mfa_reset"),
    path(
        "<int:pk>/roles/<int:assignment_pk>/remove/",
        views.RoleRemoveView.as_view(),
        name="role_remove",
    ),
]
