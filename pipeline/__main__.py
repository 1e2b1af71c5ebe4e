"""`python -m pipeline` is the `wenmi` command."""

import sys

from .cli import main

sys.exit(main())
