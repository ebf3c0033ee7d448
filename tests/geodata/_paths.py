"""Where the workplace's shared data lives (one definition, in ``tests/conftest.py``)."""

from tests.conftest import shared_data_dir

__all__ = ["shared_data_dir"]
