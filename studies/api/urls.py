from rest_framework.routers import DefaultRouter

from .views import DatasetViewSet, StudyViewSet, TrialViewSet

router = DefaultRouter()
router.register("studies", StudyViewSet, basename="study")
router.register("trials", TrialViewSet, basename="trial")
router.register("datasets", DatasetViewSet, basename="dataset")

urlpatterns = router.urls
