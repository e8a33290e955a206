import torch  # noqa: F401

raise ImportError("this audit file cannot be imported")


def audit_never():
    return None
