from django.urls import path

from fortalece.referrals import views_directory, views_pathways, views_public, views_search

app_name = "referrals"
urlpatterns = [
    # Staff: the phone search and the referral card.
    path("referrals/", views_search.SearchView.as_view(), name="search"),
    path("referrals/sw.js", views_public.service_worker, name="service_worker"),
    path("referrals/card/", views_search.CardView.as_view(), name="card"),
    path("referrals/card.pdf", views_search.CardPdfView.as_view(), name="card_pdf"),
    # Staff: the directory.
    path("referrals/directory/", views_directory.ServiceListView.as_view(), name="service_list"),
    path(
        "referrals/directory/reverify/",
        views_directory.ServiceReverifyView.as_view(),
        name="service_reverify",
    ),
    path(
        "referrals/directory/new/",
        views_directory.ServiceCreateView.as_view(),
        name="service_create",
    ),
    path(
        "referrals/directory/import/",
        views_directory.ServiceImportView.as_view(),
        name="service_import",
    ),
    path(
        "referrals/directory/export.<str:fmt>",
        views_directory.ServiceExportView.as_view(),
        name="service_export",
    ),
    path(
        "referrals/directory/<int:pk>/",
        views_directory.ServiceDetailView.as_view(),
        name="service_detail",
    ),
    path(
        "referrals/directory/<int:pk>/edit/",
        views_directory.ServiceUpdateView.as_view(),
        name="service_update",
    ),
    path(
        "referrals/directory/<int:pk>/delete/",
        views_directory.ServiceDeleteView.as_view(),
        name="service_delete",
    ),
    path(
        "referrals/directory/<int:pk>/verified/",
        views_directory.ServiceVerifiedView.as_view(),
        name="service_verified",
    ),
    # Staff: referral pathways.
    path("referrals/pathways/", views_pathways.PathwayListView.as_view(), name="pathway_list"),
    path(
        "referrals/pathways/my-state/",
        views_pathways.MyStatePathwaysView.as_view(),
        name="pathway_mine",
    ),
    path(
        "referrals/pathways/new/", views_pathways.PathwayCreateView.as_view(), name="pathway_create"
    ),
    path(
        "referrals/pathways/<int:pk>/",
        views_pathways.PathwayDetailView.as_view(),
        name="pathway_detail",
    ),
    path(
        "referrals/pathways/<int:pk>/edit/",
        views_pathways.PathwayUpdateView.as_view(),
        name="pathway_update",
    ),
    path(
        "referrals/pathways/<int:pk>/delete/",
        views_pathways.PathwayDeleteView.as_view(),
        name="pathway_delete",
    ),
    # Public: no login, no cookies.
    path("help/", views_public.help_page, name="help"),
    path("help/poster/", views_public.poster, name="poster"),
]
