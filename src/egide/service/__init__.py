"""The HTTP matching service: organisations, API keys, audit, and lookups on shared indexes."""

from egide.service.app import app_from_env, create_app
from egide.service.settings import ServiceSettings

__all__ = ["ServiceSettings", "app_from_env", "create_app"]
