from learning_api.config import get_settings
from learning_api.models import Base
from shared.migrations import run_env

run_env(Base.metadata, lambda: get_settings().database.url.get_secret_value())
