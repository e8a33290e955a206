"""The project's folder on sys.path, so the tests import ``model``."""
