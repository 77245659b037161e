from django.urls import path

from reviews import views

app_name = "reviews"
urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
]
