"""Every table, for Alembic and the schema test: importing a model module registers its tables.

Features that keep their models in a module of their own add one import here.
"""

from bot.storage import (
    models,  # noqa: F401
    models_broadcast,  # noqa: F401
    models_console,  # noqa: F401
    models_kb,  # noqa: F401
    models_review,  # noqa: F401
)
from bot.storage.models import Base

__all__ = ["Base"]
