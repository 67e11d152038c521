from django.contrib import admin
from django.urls import include, path

from zhengqian.api import api

urlpatterns = [
    path("", include("zhengqian.core.urls")),
    path("projects/", include("zhengqian.projects.urls")),
    path("households/", include("zhengqian.households.urls")),
    path("", include("zhengqian.legal.urls")),
    path("compensation/", include("zhengqian.compensation.urls")),
    path("funds/", include("zhengqian.funds.urls")),
    path("procedure/", include("zhengqian.procedure.urls")),
    path("documents/", include("zhengqian.documents.urls")),
    path("public/", include("zhengqian.public.urls")),
    path("coordination/", include("zhengqian.coordination.urls")),
    path("resettlement/", include("zhengqian.resettlement.urls")),
    path("api/v1/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler403 = "zhengqian.core.views.permission_denied"
handler404 = "zhengqian.public.errors.not_found"
handler500 = "zhengqian.public.errors.server_error"
