"""read: turn files, folders, feeds, archives and stdin into raw documents."""

from .decode import InputError, decode_bytes
from .files import expand_paths, read_data, read_paths

__all__ = ["InputError", "decode_bytes", "expand_paths", "read_data", "read_paths"]
