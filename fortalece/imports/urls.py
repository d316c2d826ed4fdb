from django.urls import path

from fortalece.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.ImportListView.as_view(), name="list"),
    path("new/", views.ImportCreateView.as_view(), name="create"),
    path("templates/<str:kind>/", views.ImportTemplateView.as_view(), name="template"),
    path("<int:pk>/", views.ImportDetailView.as_view(), name="detail"),
    path("<int:pk>/errors.csv", views.ImportErrorsView.as_view(), name="errors"),
]
