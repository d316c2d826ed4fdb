from django.urls import path

from fortalece.quizzes.views import bank, take

app_name = "quizzes"

urlpatterns = [
    path("course/<int:course_id>/bank/", bank.bank, name="bank"),
    path(
        "course/<int:course_id>/questions/add/<str:qtype>/",
        bank.question_add,
        name="question_add",
    ),
    path("questions/<int:pk>/edit/", bank.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", bank.question_delete, name="question_delete"),
    path("categories/<int:pk>/edit/", bank.category_edit, name="category_edit"),
    path("course/<int:course_id>/import/", bank.import_questions, name="import"),
    path("course/<int:course_id>/export/<str:fmt>/", bank.export_questions, name="export"),
    path("item/<int:item_id>/settings/", bank.quiz_settings, name="settings"),
    path("item/<int:item_id>/results/", bank.quiz_results, name="results"),
    path("item/<int:item_id>/", take.quiz, name="quiz"),
    path("item/<int:item_id>/start/", take.start, name="start"),
    path("attempt/<int:pk>/", take.attempt, name="attempt"),
    path("attempt/<int:pk>/save/", take.save, name="save"),
    path("attempt/<int:pk>/finish/", take.submit_confirm, name="submit_confirm"),
    path("attempt/<int:pk>/submit/", take.submit, name="submit"),
    path("attempt/<int:pk>/result/", take.result, name="result"),
]
