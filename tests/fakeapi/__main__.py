"""``python -m fakeapi`` (with ``tests`` on sys.path): run the fake server standalone."""

import sys

from fakeapi.server import main

sys.exit(main())
