"""compile-audit's rules, one module each (installed as ``compile_audit.rules``).

Bands: CA1xx graph breaks, CA2xx FlexAttention misuse, CA3xx recompilation and dynamic-shape
hazards, CA4xx performance hints, CA9xx the tool's own. Codes are never reused.
"""
