"""The dynamic layer: run audit targets under torch.compile and report what Dynamo really does.

Only ``worker`` and ``probe`` import torch, and only inside the worker processes; the parent
side (``targets``, ``pool``, ``reconcile``) runs in the command-line process without torch.
"""


class DynamicUnavailable(Exception):
    """torch is not installed: the dynamic layer needs the ``dynamic`` extra (exit 2). Defined
    here so the command line can catch it without importing the runner."""
