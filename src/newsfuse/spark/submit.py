"""The entry point for spark-submit (which runs a file, not a module):

    spark-submit [options] "$(python -c 'import newsfuse.spark.submit as m; print(m.__file__)')" \
        INPUT... --out DIR

takes the same arguments as `newsfuse spark`, on the master spark-submit was given."""

from __future__ import annotations

import sys


def main() -> None:
    from newsfuse.cli import app

    app(args=["spark", *sys.argv[1:]], prog_name="newsfuse spark")


if __name__ == "__main__":
    main()
