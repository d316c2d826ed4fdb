from django.urls import path

from fortalece.learning.views import authoring, diplomas, learner, portability

app_name = "learning"

urlpatterns = [
    path("", authoring.LearningHomeView.as_view(), name="home"),
    path("mine/", learner.MyLearningView.as_view(), name="my_learning"),
    # The page's first name, still reversed by older links and other branches.
    path("mine/", learner.MyLearningView.as_view(), name="mine"),
    # Authoring
    path("courses/<int:pk>/", authoring.CourseContentView.as_view(), name="course"),
    path("courses/<int:pk>/modules/add/", authoring.ModuleCreateView.as_view(), name="module_add"),
    path(
        "courses/<int:pk>/preview/", learner.LearnerCourseView.as_view(preview=True), name="preview"
    ),
    path("courses/<int:pk>/copy/", portability.CourseCopyView.as_view(), name="copy"),
    path("courses/<int:pk>/export/", portability.CourseExportView.as_view(), name="export"),
    path("courses/import/", portability.CourseImportView.as_view(), name="import"),
    path("modules/<int:pk>/edit/", authoring.ModuleUpdateView.as_view(), name="module_edit"),
    path("modules/<int:pk>/delete/", authoring.ModuleDeleteView.as_view(), name="module_delete"),
    path("modules/<int:pk>/move/", authoring.ModuleMoveView.as_view(), name="module_move"),
    path("modules/<int:pk>/order/", authoring.ModuleReorderView.as_view(), name="module_order"),
    path("modules/<int:pk>/items/add/", authoring.ItemCreateView.as_view(), name="item_add"),
    path("items/<int:pk>/edit/", authoring.ItemUpdateView.as_view(), name="item_edit"),
    path("items/<int:pk>/delete/", authoring.ItemDeleteView.as_view(), name="item_delete"),
    path("items/<int:pk>/move/", authoring.ItemMoveView.as_view(), name="item_move"),
    path(
        "items/<int:pk>/preview/",
        learner.LearnerItemView.as_view(preview=True),
        name="item_preview",
    ),
    path("items/<int:pk>/resources/", authoring.ResourceUploadView.as_view(), name="resource_add"),
    path("resources/<int:pk>/", authoring.ResourceDownloadView.as_view(), name="resource"),
    path(
        "resources/<int:pk>/delete/", authoring.ResourceDeleteView.as_view(), name="resource_delete"
    ),
    # Learners
    path("take/<int:pk>/", learner.LearnerCourseView.as_view(), name="take"),
    path("take/items/<int:pk>/", learner.LearnerItemView.as_view(), name="item"),
    path(
        "take/items/<int:pk>/complete/", learner.LessonCompleteView.as_view(), name="item_complete"
    ),
    # Cohorts
    path("cohorts/<int:pk>/", learner.CohortProgressView.as_view(), name="cohort"),
    # Diplomas
    path("diplomas/", diplomas.DiplomaListView.as_view(), name="diploma_list"),
    path("diplomas/add/", diplomas.DiplomaCreateView.as_view(), name="diploma_add"),
    path("diplomas/<int:pk>/", diplomas.DiplomaDetailView.as_view(), name="diploma"),
    path("diplomas/<int:pk>/edit/", diplomas.DiplomaUpdateView.as_view(), name="diploma_edit"),
    path(
        "diplomas/<int:pk>/courses/",
        diplomas.DiplomaCourseAddView.as_view(),
        name="diploma_course_add",
    ),
    path("diplomas/entries/<int:pk>/", diplomas.DiplomaEntryView.as_view(), name="diploma_entry"),
    path(
        "diplomas/awards/<int:pk>/pdf/",
        diplomas.DiplomaAwardView.as_view(),
        name="diploma_award_pdf",
    ),
    path(
        "diplomas/verify/<str:code>/", diplomas.DiplomaVerifyView.as_view(), name="diploma_verify"
    ),
]
