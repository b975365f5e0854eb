from django.urls import path

from boards.consumers import BoardConsumer
from workshop import converters  # noqa: F401  (<id:...>)

websocket_urlpatterns = [path("ws/boards/<id:board_id>/", BoardConsumer.as_asgi())]
