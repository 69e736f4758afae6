"""Included under /api/ next to studies.api.urls (whose DefaultRouter already serves the API root)."""

from rest_framework.routers import SimpleRouter

from .api import ApiTokenViewSet

router = SimpleRouter()
router.register("tokens", ApiTokenViewSet, basename="api-token")

urlpatterns = router.urls
