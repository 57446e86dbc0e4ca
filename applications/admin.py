"""Admin of the applications app."""

# Clusters (with their members inline) and the supplier pool: see cluster_admin.py.
from .cluster_admin import *  # noqa: E402, F401, F403
