from django.urls import path

from victims import views

app_name = "victims"
urlpatterns = [
    path("cases/<int:pk>/victims/", views.case_victims, name="case_victims"),
]
