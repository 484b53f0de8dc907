"""The language server (`slint server`). ``convert``, ``actions`` and ``checker`` are plain
Python; only ``app`` imports pygls, and only when the server starts."""


def main() -> None:
    from .app import serve
    serve()
