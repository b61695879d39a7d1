#!/usr/bin/env python
"""Django's manage.py; the same as the ``consejo`` command."""

from consejo.cli import main

if __name__ == "__main__":
    main()
