from plans_api.config import get_settings
from plans_api.models import Base
from shared.migrations import run_env

run_env(Base.metadata, lambda: get_settings().database.url.get_secret_value())
