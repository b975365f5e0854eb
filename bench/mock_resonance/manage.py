"""Stand-in for Resonance's manage.py: `migrate` and `shell -c` succeed and do nothing.

Only for bench/selftest.py, to drive the harness's Resonance path end to end
before the real server exists.
"""

import sys

if __name__ == "__main__":
    print("mock manage.py:", " ".join(sys.argv[1:2]))
