app_name = "assignments"

urlpatterns: list = []
