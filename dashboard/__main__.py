import os
import sys

from dashboard.cli import main

try:
    sys.exit(main())
except BrokenPipeError:  # output piped into `head`: stop quietly
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    sys.exit(0)
