"""The HTTP API and help-desk web page (`planbot serve`); see docs/api.md."""

from bot.api.app import AuthConfigError, create_app
from bot.api.server import serve

__all__ = ["AuthConfigError", "create_app", "serve"]
