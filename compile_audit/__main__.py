import sys

from compile_audit.cli import main

sys.exit(main())
