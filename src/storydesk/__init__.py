"""storydesk: a careful editor's reading of the news, across outlets."""

import os

# One BLAS thread unless the user says otherwise: spaCy's matrix products run on numpy's
# OpenBLAS (read/nlp.py), whose extra threads here doubled the CPU time of a parse and did
# not shorten it (issue 13); both cores are used by reading workers instead (read/pool.py).
# Set before numpy is imported, which is when OpenBLAS reads it.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

__version__ = "0.1.0"
