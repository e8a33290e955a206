"""compile-audit: find what stops torch.compile from capturing a whole graph, and prove it.

The static layer (``compile-audit scan``) needs libcst and rich only and never imports the code
it scans. The dynamic layer (``--confirm``, ``verify``) is the only place that imports torch.
"""

from compile_audit.target import Target, audit_device

__version__ = "0.1.0"

__all__ = ["Target", "audit_device", "__version__"]
